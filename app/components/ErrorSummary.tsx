/** The GOV.UK error summary: what is wrong, in plain English, each linking to the field to fix. */
export function ErrorSummary({ errors, title = "There is a problem" }: { errors: Array<{ field: string; message: string }>; title?: string }) {
  if (errors.length === 0) return null;
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" role="alert" tabIndex={-1}>
      <h2 className="govuk-error-summary__title">{title}</h2>
      <div className="govuk-error-summary__body">
        <ul className="govuk-list govuk-error-summary__list">
          {errors.map((e, i) => (
            <li key={i}>
              <a href={`#filter-${e.field}`}>{e.message}</a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

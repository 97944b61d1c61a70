export default function NotFound() {
  return (
    <>
      <h1 className="govuk-heading-xl">Page not found</h1>
      <p className="govuk-body">This page does not exist, or your account may not see it.</p>
      <p className="govuk-body">
        If you think you should be able to see it, ask your partnership&apos;s business manager. <a className="govuk-link" href="/">Go to the start</a>
      </p>
    </>
  );
}

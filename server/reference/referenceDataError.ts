/** Reference data refused, with every problem found, each naming its field and value. */
export class ReferenceDataError extends Error {
  constructor(readonly problems: string[]) {
    super(`The reference data was not loaded: ${problems.length} problem(s) found.\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ReferenceDataError";
  }
}

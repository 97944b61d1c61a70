import { InvalidRequestError } from "../errors";

/**
 * Reference data refused, with every problem found, each naming its field and value. A request a
 * user can correct: the doors answer it 400 with this message, never 500.
 */
export class ReferenceDataError extends InvalidRequestError {
  constructor(readonly problems: string[]) {
    super(`The reference data was not loaded: ${problems.length} problem(s) found.\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ReferenceDataError";
  }
}

/** Errors the domain raises for a user to act on; the API layer maps them to its own codes. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}

export class InvalidRequestError extends Error {
  override name = "InvalidRequestError";
}

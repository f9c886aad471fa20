// An HTTP error the API answers with RFC 9457 problem details.
export class HttpProblem extends Error {
  readonly status: number;
  constructor(status: number, message: string) { super(message); this.status = status; }
}

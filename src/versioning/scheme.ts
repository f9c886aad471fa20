// One interface for every ecosystem's version ordering, like Renovate's versioning modules.
export interface VersionScheme {
  readonly id: string;
  /** Negative, zero or positive as a is lower than, equal to or higher than b. */
  compare(a: string, b: string): number;
  isValid(v: string): boolean;
  /** Whether compare places v among the ecosystem's versions although it is not valid (PyPI's legacy versions); isValid when absent. */
  ordersInvalid?(v: string): boolean;
}

// How old advisory data may be and still count as fresh for coverage ("checked against fresh advisory
// data"): the window (maxAgeDays: marque.yaml advisories.maxAgeDays, --max-age) has a bound. Without
// one, a window of 100000 days makes years-old data "fresh", and the coverage figure that Annex I
// Part II (2) and (3) rest on says nothing. The bound is 30 days, refused beyond (not a caveat): a
// coverage figure is read by machines too (coverage.complete, check's "met"), which read no caveat.
//
// Why 30: Regulation (EU) 2024/2847 Annex I Part II requires manufacturers to "address and remediate
// vulnerabilities without delay" (point 2) and to "apply effective and regular tests and reviews"
// (point 3), and Art. 14(2)(a) sets an early warning "within 24 hours" of becoming aware of an actively
// exploited vulnerability. OSV's exports change daily; data older than a month has missed a month of
// advisories, and a review that lets it pass is neither without delay nor regular. A month is the
// loosest cycle still defensible as regular; the default stays 7 days (src/api/vulns.ts).

/** The longest freshness window, in days, Marque accepts for advisory data. */
export const MAX_FRESHNESS_DAYS = 30;

/** Why a freshness window of `days` is refused, or undefined when it is within the bound. */
export function freshnessWindowProblem(days: number): string | undefined {
  if (!(days > 0) || !Number.isFinite(days)) return `${days} is not a number of days above 0`;
  if (days <= MAX_FRESHNESS_DAYS) return undefined;
  return `${days} days is beyond the ${MAX_FRESHNESS_DAYS} days Marque accepts: data that old has missed weeks of advisories, and coverage resting on it does not meet Annex I Part II (2) "without delay" and (3) "regular tests and reviews" of Regulation (EU) 2024/2847; import fresh data ("marque db update") instead of widening the window`;
}

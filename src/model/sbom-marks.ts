// What Marque writes into an SBOM beyond the standard fields and reads back (its own SBOMs, pushed
// to the server): the first-party mark, what GIT advisories match a released ROS package by, and whether its
// own dependencies were followed.
// CycloneDX carries each as a property; SPDX 2.3 has no properties, so each is an annotation of
// type OTHER whose comment is "name=value"; SPDX 3 an Annotation element of type "other" whose subject is the
// package and whose statement is "name=value".
import { FIRST_PARTY_PROPERTY } from './counting.ts';
import { READ_BACK_PROPERTIES } from './inventory.ts';

export const SBOM_MARKS: readonly string[] = [FIRST_PARTY_PROPERTY, ...READ_BACK_PROPERTIES];

export const markAnnotation = (name: string, value: string): string => `${name}=${value}`;

/** The mark an SPDX annotation's comment carries, or undefined for any other annotation. */
export function readMarkAnnotation(comment: unknown): [name: string, value: string] | undefined {
  if (typeof comment !== 'string') return undefined;
  const eq = comment.indexOf('=');
  if (eq <= 0) return undefined;
  const name = comment.slice(0, eq);
  const value = comment.slice(eq + 1);
  return SBOM_MARKS.includes(name) && value ? [name, value] : undefined;
}

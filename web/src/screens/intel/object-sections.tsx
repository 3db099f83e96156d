/**
 * Extra sections of the STIX object page, rendered in this order below the relationships.
 * Other intel screens (correlations, sightings) add one entry here; the page itself stays untouched.
 */
import type { ObjectSection } from './shared.tsx';
import { CorrelationsSection } from './Correlations.tsx';

export const OBJECT_SECTIONS: ObjectSection[] = [CorrelationsSection];

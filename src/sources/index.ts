// Every inventory source Marque knows. Adding an ecosystem means adding one folder and one line here.
import type { Extractor } from './extractor.ts';
import { rosExtractor } from './ros/extractor.ts';
import { npmExtractor } from './npm/extractor.ts';
import { pythonExtractor } from './python/extractor.ts';
import { cargoExtractor } from './cargo/extractor.ts';
import { dpkgExtractor } from './dpkg/extractor.ts';
import { sbomExtractor } from './sbom/extractor.ts';

export const EXTRACTORS: readonly Extractor[] = [rosExtractor, npmExtractor, pythonExtractor, cargoExtractor, dpkgExtractor, sbomExtractor];

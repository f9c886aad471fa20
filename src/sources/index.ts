// Every inventory source Marque knows. Adding an ecosystem means adding one folder and one line here.
import type { Extractor } from './extractor.ts';
import { rosExtractor } from './ros/extractor.ts';
import { npmExtractor } from './npm/extractor.ts';
import { pythonExtractor } from './python/extractor.ts';
import { cargoExtractor } from './cargo/extractor.ts';
import { dpkgExtractor } from './dpkg/extractor.ts';
import { sbomExtractor } from './sbom/extractor.ts';
import { golangExtractor } from './golang/extractor.ts';
import { mavenExtractor } from './maven/extractor.ts';
import { composerExtractor } from './composer/extractor.ts';
import { nugetExtractor } from './nuget/extractor.ts';
import { gemExtractor } from './gem/extractor.ts';
import { conanExtractor } from './conan/extractor.ts';
import { apkExtractor } from './apk/extractor.ts';
import { rpmExtractor } from './rpm/extractor.ts';
import { vcpkgExtractor } from './vcpkg/extractor.ts';
import { cmakeExtractor } from './cmake/extractor.ts';
import { hexExtractor } from './hex/extractor.ts';
import { pubExtractor } from './pub/extractor.ts';

export const EXTRACTORS: readonly Extractor[] = [rosExtractor, npmExtractor, pythonExtractor, cargoExtractor, golangExtractor, mavenExtractor, composerExtractor, nugetExtractor, gemExtractor, hexExtractor, pubExtractor, conanExtractor, vcpkgExtractor, cmakeExtractor, dpkgExtractor, apkExtractor, rpmExtractor, sbomExtractor];

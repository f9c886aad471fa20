// The product is who marque.yaml, the SBOM or --product says it is, never a file name; its identity
// keys the Art. 14 moment of awareness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT } from './helpers/paths.ts';
import { productRequest, requireIdentity } from '../src/api/request.ts';
import { buildInventory } from '../src/api/inventory.ts';
import { renderSbom } from '../src/api/sbom.ts';
import { productKey } from '../src/model/product.ts';
import { cycloneDx16, spdx23 } from './helpers/schemas.ts';

const SBOMS = join(FIXTURES, 'sboms');
function marque(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', stdin: 'ignore', maxBuffer: 64 * 1024 * 1024 } as never);
  return { code: r.status, out: String(r.stdout), err: String(r.stderr) };
}

test('two SBOMs both called bom.json are two products, named by their metadata.component', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-id-'));
  const a = join(dir, 'a', 'bom.json');
  const b = join(dir, 'b', 'bom.json');
  mkdirSync(join(dir, 'a')); mkdirSync(join(dir, 'b'));
  copyFileSync(join(SBOMS, 'dropwizard-1.3.15.bom.json'), a);
  copyFileSync(join(SBOMS, 'laravel-7.12.0.cdx.json'), b);
  const pa = await productRequest(a, {});
  const pb = await productRequest(b, {});
  assert.equal(pa.identity, 'sbom');
  assert.deepEqual([pa.product.group, pa.product.name, pa.product.version], ['io.dropwizard', 'dropwizard-parent', '1.3.15']);
  assert.equal(productKey(pa.product), 'io.dropwizard/dropwizard-parent@1.3.15');
  assert.equal(pb.product.name, 'cyclonedx-php-composer-demo');
  assert.notEqual(productKey(pa.product), productKey(pb.product));
  // Converting keeps the subject's purl and group, and validates.
  const bom = renderSbom(await buildInventory(pa.request), 'cyclonedx', pa.product) as Record<string, any>;
  assert.equal(bom.metadata.component.purl, 'pkg:maven/io.dropwizard/dropwizard-parent@1.3.15');
  assert.equal(bom.metadata.component.group, 'io.dropwizard');
  assert.ok(!bom.components.some((c: { purl: string }) => c.purl === bom.metadata.component.purl), 'the subject is not also a component');
  assert.ok(bom.components.every((c: { name: string }) => !c.name.includes('/')), 'Maven group is not folded into the name');
  const validate = cycloneDx16();
  assert.ok(validate(bom), JSON.stringify(validate.errors?.slice(0, 3)));
  const spdx = renderSbom(await buildInventory(pa.request), 'spdx', pa.product) as Record<string, any>;
  assert.ok(spdx23()(spdx));
});

test('an SBOM without a dependency entry for its subject: top-level components are direct, completeness unknown', async () => {
  const { request } = await productRequest(join(SBOMS, 'dropwizard-1.3.15.bom.json'), {});
  const inv = await buildInventory({ ...request, kinds: ['runtime'] });
  assert.equal(inv.components.length, 168, 'the runtime view keeps every component, not only the subject');
  assert.equal(inv.components.filter((c) => c.depth === 1).length, 29);
  assert.ok(inv.components.every((c) => c.depth !== null));
  assert.match(inv.notes.join('\n'), /gives its subject no dependency list; its 29 top-level component\(s\) are taken as direct dependencies/);
  const bom = renderSbom(inv, 'cyclonedx', (await productRequest(join(SBOMS, 'dropwizard-1.3.15.bom.json'), {})).product) as Record<string, any>;
  assert.deepEqual(bom.compositions.map((c: { aggregate: string }) => c.aggregate), ['unknown']);
});

test('an SBOM that names no product: the command asks for --product instead of inventing one', async () => {
  const file = join(SBOMS, 'no-subject.cdx.json');
  const pr = await productRequest(file, {});
  assert.equal(pr.identity, undefined);
  assert.throws(() => requireIdentity(pr, 'report-clock'), /names no product.*--product NAME@VERSION/);
  const r = marque('sbom', file);
  assert.equal(r.code, 2);
  assert.match(r.err, /names no product \(CycloneDX metadata\.component, SPDX documentDescribes\); give --product NAME@VERSION/);
  assert.doesNotMatch(r.out, /0\.0\.0/);
  const named = marque('sbom', file, '--product', 'panel@2.1.0');
  assert.equal(named.code, 0, named.err);
  const bom = JSON.parse(named.out);
  assert.equal(bom.metadata.component.name, 'panel');
  assert.equal(bom.metadata.component.version, '2.1.0');
  const inv = JSON.parse(marque('inventory', file, '--product', 'panel@2.1.0', '--json').out);
  assert.deepEqual(inv.components.map((c: { depth: number }) => c.depth).sort(), [0, 1, 1]);
  assert.equal(marque('sbom', file, '--product', 'panel').code, 2, 'a version is part of the identity');
  // A folder without marque.yaml is named after the folder for an SBOM, with no invented version.
  const folder = marque('sbom', join(FIXTURES, 'lockfiles'));
  assert.match(folder.err, /no marque\.yaml: the SBOM's subject is named after the folder/);
  assert.equal(JSON.parse(folder.out).metadata.component.version, undefined);
});

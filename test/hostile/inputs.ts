// Generators of hostile inputs, one per class of work that used to grow faster than its input.
// The corpus is generated, never committed: test/hostile-corpus.test.ts writes small ones and
// checks the answers; bench/hostile.ts writes each at two sizes and prints the time ratio.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HostileCase {
  id: string;
  /** What it stresses, in the words of the issue that found it. */
  what: string;
  /** Writes the input of size n into `dir` and returns the marque arguments that read it. */
  write(dir: string, n: number): string[];
  /** The size the benchmark starts from (doubled once). */
  size: number;
}

const manifest = (extra = '') => `product:\n  name: p\n  version: "1.0.0"\n${extra}`;

export const CASES: HostileCase[] = [
  {
    id: 'npm-graph', what: 'package-lock with n packages and 2n edges (spread into push overflowed at ~125k edges)', size: 32_000,
    write(dir, n) {
      const packages: Record<string, unknown> = { '': { name: 'app', version: '1.0.0', dependencies: { p0: '1.0.0', p1: '1.0.0' } } };
      for (let i = 0; i < n; i++) packages[`node_modules/p${i}`] = { version: '1.0.0', dependencies: { [`p${(i * 7 + 1) % n}`]: '1.0.0', [`p${(i * 13 + 2) % n}`]: '1.0.0' } };
      writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, packages }));
      return ['inventory', dir, '--json'];
    },
  },
  {
    id: 'manifest-keys', what: 'marque.yaml with n keys in one map (quadratic unique-key check)', size: 20_000,
    write(dir, n) {
      writeFileSync(join(dir, 'marque.yaml'), manifest(`inventory:\n  conditions:\n${Array.from({ length: n }, (_, i) => `    K${i}: v${i}\n`).join('')}`));
      return ['classify', dir, '--json'];
    },
  },
  {
    id: 'requirements-spaces', what: 'requirements line of n spaces (backtracking pin regex)', size: 100_000,
    write(dir, n) { writeFileSync(join(dir, 'requirements.txt'), `a${' '.repeat(n)}=x\n`); return ['inventory', dir, '--json']; },
  },
  {
    id: 'glob-backtracking', what: 'compartment pattern with many "*" against a component purl of length n', size: 20_000,
    write(dir, n) {
      writeFileSync(join(dir, 'marque.yaml'), manifest(`architecture:\n  compartments:\n    - {id: c, kind: host, components: ["${'*a'.repeat(40)}*b"]}\n  interfaces: [{id: net, kind: network, into: c}]\n`));
      writeFileSync(join(dir, 'requirements.txt'), `${'a'.repeat(n)}==1.0\n`);
      return ['perimeter', dir, '--json'];
    },
  },
  {
    id: 'dds-nodes', what: 'n launched nodes without an SROS2 policy (n² flows)', size: 2_000,
    write(dir, n) {
      writeFileSync(join(dir, 'marque.yaml'), manifest('architecture:\n  compartments: [{id: ros, kind: container}]\n  interfaces: [{id: net, kind: network, into: ros}]\n  ros:\n    compartment: ros\n    launch: [l.launch.xml]\n'));
      writeFileSync(join(dir, 'l.launch.xml'), `<launch>${Array.from({ length: n }, (_, i) => `<node pkg="p" exec="e${i}" name="n${i}"/>`).join('')}</launch>`);
      return ['perimeter', dir, '--json'];
    },
  },
  {
    id: 'sros2-enclaves', what: 'SROS2 policy with n enclaves publishing and subscribing shared topics', size: 1_000,
    write(dir, n) {
      writeFileSync(join(dir, 'marque.yaml'), manifest('architecture:\n  compartments: [{id: ros, kind: container}]\n  interfaces: [{id: net, kind: network, into: ros}]\n  ros:\n    compartment: ros\n    launch: [l.launch.xml]\n    sros2Policy: p.xml\n'));
      writeFileSync(join(dir, 'l.launch.xml'), `<launch>${Array.from({ length: n }, (_, i) => `<node pkg="p" exec="e${i}" name="n${i}"/>`).join('')}</launch>`);
      const enclave = (i: number) => `<enclave path="/e${i}"><profiles><profile ns="/" node="n${i}"><topics publish="ALLOW"><topic>t${i % 50}</topic><topic>t${(i + 1) % 50}</topic></topics><topics subscribe="ALLOW"><topic>t${(i + 7) % 50}</topic><topic>s*</topic></topics></profile></profiles></enclave>`;
      writeFileSync(join(dir, 'p.xml'), `<?xml version="1.0"?><policy version="0.2.0"><enclaves>${Array.from({ length: n }, (_, i) => enclave(i)).join('')}</enclaves></policy>`);
      return ['perimeter', dir, '--json'];
    },
  },
  {
    id: 'package-xml-deps', what: 'package.xml with n dependencies', size: 50_000,
    write(dir, n) {
      writeFileSync(join(dir, 'package.xml'), `<?xml version="1.0"?><package format="3"><name>p</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license>${Array.from({ length: n }, (_, i) => `<depend>dep_${i}</depend>`).join('')}</package>`);
      return ['inventory', dir, '--json'];
    },
  },
  {
    id: 'ros-workspace', what: 'ROS workspace of n packages (all read at once exhausted file descriptors)', size: 5_000,
    write(dir, n) {
      for (let i = 0; i < n; i++) {
        const d = join(dir, 'src', `r${Math.floor(i / 100)}`, `pkg_${i}`);
        mkdirSync(d, { recursive: true });
        writeFileSync(join(d, 'package.xml'), `<?xml version="1.0"?><package format="3"><name>pkg_${i}</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license><depend>pkg_${(i * 7 + 1) % n}</depend><exec_depend>rclcpp</exec_depend></package>`);
      }
      return ['inventory', dir, '--json'];
    },
  },
  {
    id: 'npm-deep', what: 'npm lock with node_modules nested n deep', size: 1_000,
    write(dir, n) {
      const packages: Record<string, unknown> = { '': { name: 'app', version: '1.0.0', dependencies: { d0: '1.0.0' } } };
      let loc = '';
      for (let i = 0; i < n; i++) {
        loc = `${loc ? `${loc}/` : ''}node_modules/d${i}`;
        packages[loc] = { version: '1.0.0', dependencies: { [`d${i + 1}`]: '1.0.0', top: '1.0.0' } };
      }
      packages['node_modules/top'] = { version: '1.0.0' };
      writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 3, packages }));
      return ['inventory', dir, '--json'];
    },
  },
  {
    id: 'cargo-versions', what: 'Cargo.lock with n versions of one crate', size: 10_000,
    write(dir, n) {
      const lines = ['version = 3', '[[package]]', 'name = "app"', 'version = "0.1.0"', `dependencies = [${Array.from({ length: Math.min(n, 200) }, (_, i) => `"c 1.0.${i}"`).join(', ')}]`];
      for (let i = 0; i < n; i++) lines.push('[[package]]', 'name = "c"', `version = "1.0.${i}"`, 'source = "registry+https://github.com/rust-lang/crates.io-index"');
      writeFileSync(join(dir, 'Cargo.lock'), `${lines.join('\n')}\n`);
      return ['inventory', dir, '--json'];
    },
  },
  {
    id: 'condition-chain', what: 'package.xml condition of n "and" terms (recursion per term)', size: 20_000,
    write(dir, n) {
      writeFileSync(join(dir, 'package.xml'), `<?xml version="1.0"?><package format="3"><name>q</name><version>1.0.0</version><description>d</description><maintainer email="a@b.c">m</maintainer><license>MIT</license><depend condition="${Array.from({ length: n }, () => '$ROS_VERSION == 2').join(' and ')}">rclcpp</depend></package>`);
      return ['inventory', dir, '--json'];
    },
  },
];

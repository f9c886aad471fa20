import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCondition, ConditionError } from '../src/parsers/condition.ts';
import { python, skipReason } from './helpers/oracle.ts';

const CTX = { ROS_VERSION: '2', ROS_DISTRO: 'jazzy', ROS_PYTHON_VERSION: '3' };

const CASES: [string, Record<string, string>][] = [
  ['$ROS_VERSION == 2', CTX],
  ['$ROS_VERSION == 1', CTX],
  ['$ROS_DISTRO == humble or $ROS_DISTRO == jazzy or $ROS_DISTRO == kilted', CTX],
  ['$ROS_DISTRO != humble and $ROS_DISTRO != jazzy and $ROS_DISTRO != kilted', CTX],
  // `and` binds tighter than `or` (pyparsing infixNotation order in catkin_pkg).
  ['$A == 1 or $B == 2 and $C == 3', { A: '1', B: '0', C: '0' }],
  ['($A == 1 or $B == 2) and $C == 3', { A: '1', B: '0', C: '0' }],
  // String comparison, not numeric: "10" < "9".
  ['$V < 9', { V: '10' }],
  ['$V >= 10', { V: '9' }],
  // Unset variables are the empty string.
  ['$UNSET == ""', {}],
  ["$UNSET != ''", {}],
  ['$DISABLE_GROUPS_WORKAROUND != 1', {}],
  ['$ROS_PYTHON_VERSION == 3 and ($ROS_DISTRO > iron)', CTX],
  ['((($X == a-b_c)))', { X: 'a-b_c' }],
];

test('conditions evaluate as catkin_pkg does on a table of cases', (t) => {
  const expected = [true, false, true, false, true, false, true, true, true, false, true, true, true];
  CASES.forEach(([expr, ctx], i) => assert.equal(evaluateCondition(expr, ctx), expected[i], expr));
  const skip = skipReason('catkinPkg');
  if (skip) { t.diagnostic(skip); return; }
  const oracle = JSON.parse(python(
    'import json,sys\nfrom catkin_pkg.condition import evaluate_condition\n' +
    'print(json.dumps([evaluate_condition(e, c) for e, c in json.load(sys.stdin)]))',
    JSON.stringify(CASES)));
  assert.deepEqual(CASES.map(([e, c]) => evaluateCondition(e, c)), oracle);
});

test('malformed conditions are errors, not silent truths', () => {
  for (const bad of ['$ROS_VERSION', '$ROS_VERSION ==', '($A == 1', '$A == 1 and', '$A === 1 ~', '$ == 1', '"unterminated == 1']) {
    assert.throws(() => evaluateCondition(bad, CTX), ConditionError, bad);
  }
});

test('no condition holds', () => {
  assert.equal(evaluateCondition(undefined, CTX), true);
});

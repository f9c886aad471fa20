import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globToRegExp } from '../src/util/glob.ts';

test('purl patterns keep "?" literal; fnmatch patterns treat it as one character', () => {
  assert.equal(globToRegExp('pkg:deb/ubuntu/ros-jazzy-*').test('pkg:deb/ubuntu/ros-jazzy-rclcpp'), true);
  assert.equal(globToRegExp('pkg:deb/ubuntu/x?distro=ubuntu-24.04').test('pkg:deb/ubuntu/x?distro=ubuntu-24.04'), true);
  assert.equal(globToRegExp('pkg:deb/ubuntu/x?distro=ubuntu-24.04').test('pkg:deb/ubuntu/xXdistro=ubuntu-24.04'), false);
  assert.equal(globToRegExp('/odom?', true).test('/odom1'), true);
  assert.equal(globToRegExp('a.b').test('aXb'), false);
});

// Which upstream project each well-known ROS "*_vendor" package builds, and under which names
// advisories know that upstream (Debian/Ubuntu source package, PyPI, crates.io). The vendored
// version lives in the vendor package's CMakeLists, not in package.xml, so it is not knowable
// offline: the product declares it in marque.yaml (inventory.upstreams) to have it matched.

export interface VendoredUpstream { upstream: string; debianSource?: string; pypi?: string; crate?: string }

export const ROS_VENDOR_UPSTREAMS: Readonly<Record<string, VendoredUpstream>> = {
  yaml_cpp_vendor: { upstream: 'yaml-cpp', debianSource: 'yaml-cpp' },
  libyaml_vendor: { upstream: 'libyaml', debianSource: 'libyaml' },
  tinyxml2_vendor: { upstream: 'tinyxml2', debianSource: 'tinyxml2' },
  tinyxml_vendor: { upstream: 'tinyxml', debianSource: 'tinyxml' },
  spdlog_vendor: { upstream: 'spdlog', debianSource: 'spdlog' },
  libcurl_vendor: { upstream: 'curl', debianSource: 'curl' },
  sqlite3_vendor: { upstream: 'sqlite3', debianSource: 'sqlite3' },
  zstd_vendor: { upstream: 'zstd', debianSource: 'libzstd' },
  liblz4_vendor: { upstream: 'lz4', debianSource: 'lz4' },
  console_bridge_vendor: { upstream: 'console_bridge', debianSource: 'console-bridge' },
  uncrustify_vendor: { upstream: 'uncrustify', debianSource: 'uncrustify' },
  gtest_vendor: { upstream: 'googletest', debianSource: 'googletest' },
  gmock_vendor: { upstream: 'googletest', debianSource: 'googletest' },
  google_benchmark_vendor: { upstream: 'benchmark', debianSource: 'benchmark' },
  pybind11_vendor: { upstream: 'pybind11', debianSource: 'pybind11', pypi: 'pybind11' },
  orocos_kdl_vendor: { upstream: 'orocos-kinematics-dynamics', debianSource: 'orocos-kdl' },
  python_orocos_kdl_vendor: { upstream: 'orocos-kinematics-dynamics', debianSource: 'orocos-kdl' },
  rviz_assimp_vendor: { upstream: 'assimp', debianSource: 'assimp' },
  sdl2_vendor: { upstream: 'SDL2', debianSource: 'libsdl2' },
  live555_vendor: { upstream: 'live555', debianSource: 'liblivemedia' },
  onnxruntime_vendor: { upstream: 'onnxruntime', pypi: 'onnxruntime' },
  osqp_vendor: { upstream: 'osqp', pypi: 'osqp' },
  zenoh_cpp_vendor: { upstream: 'zenoh', crate: 'zenoh' },
  mcap_vendor: { upstream: 'mcap' },
  foonathan_memory_vendor: { upstream: 'foonathan_memory' },
  nlohmann_json_schema_validator_vendor: { upstream: 'json-schema-validator' },
};

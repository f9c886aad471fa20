#!/usr/bin/python3
"""Build a rosdistro cache (format 2) the way rosdistro_build_cache writes it, from a
distribution.yaml and local package.xml files, with Debian's python3-rosdistro.

usage: make-rosdistro-cache.py DISTRIBUTION_YAML OUT_FILE PACKAGE_XML...

Only package.xml files whose package is released in the distribution are put in the cache, as
rosdistro does. OUT_FILE ending in .gz is gzip-compressed."""
import gzip
import sys
import xml.etree.ElementTree as ET

import yaml
from rosdistro.distribution_cache import DistributionCache
from rosdistro.distribution_cache_generator import CacheYamlDumper


def main(argv):
    dist_file, out, *xmls = argv
    with open(dist_file) as f:
        data = yaml.safe_load(f)
    name = data.get('name') or dist_file.rstrip('/').split('/')[-2]
    cache = DistributionCache(name, distribution_file_data=[data])
    released = cache.distribution_file.release_packages
    for path in xmls:
        with open(path, encoding='utf-8') as f:
            text = f.read()
        pkg = ET.fromstring(text.encode('utf-8')).findtext('name').strip()
        if pkg in released:
            cache.release_package_xmls[pkg] = text
    dumped = yaml.dump(cache.get_data(), Dumper=CacheYamlDumper).encode('utf-8')
    opener = gzip.open if out.endswith('.gz') else open
    with opener(out, 'wb') as f:
        f.write(dumped)
    print(len(cache.release_package_xmls))


if __name__ == '__main__':
    main(sys.argv[1:])

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
Userspace attribute tables from the netlink spec: one libnl `struct
nla_policy` array per attribute set, for evpnd and evpnctl to parse the
kernel's replies and events with (nla_parse / genlmsg_parse).

ynl-gen-c's user mode writes code for the kernel's own ynl C library, not for
libnl, so this small step loads the spec with the kernel's loader
(tools/net/ynl/lib/nlspec.py, SpecFamily) and renders libnl's form:

  u8..u64, flag, nest   NLA_U8..NLA_U64, NLA_FLAG, NLA_NESTED
  string                NLA_STRING (libnl checks the NUL), maxlen max-len + 1
  binary                NLA_UNSPEC, minlen/maxlen from exact-len / min-len
  pad, unused           no entry

Integer range checks (min/max) are the kernel's input validation and are
not rendered: these tables read what the kernel sends.

usage: libnl.py YNL_DIR SPEC OUT_C OUT_H
"""
import os
import sys

SCALARS = {'u8': 'NLA_U8', 'u16': 'NLA_U16', 'u32': 'NLA_U32', 'u64': 'NLA_U64',
           's8': 'NLA_S8', 's16': 'NLA_S16', 's32': 'NLA_S32', 's64': 'NLA_S64',
           'flag': 'NLA_FLAG', 'nest': 'NLA_NESTED'}


def c_name(name):
    return name.replace('-', '_')


def limit(family, attr, check):
    value = attr.yaml.get('checks', {}).get(check)
    if value is None or isinstance(value, int):
        return value
    return family.consts[value]['value']


def policy_entry(family, attr):
    t = attr.type
    if t in ('pad', 'unused'):
        return None
    if t in SCALARS:
        return f'{{ .type = {SCALARS[t]} }}'
    if t == 'string':
        top = limit(family, attr, 'max-len')
        return '{ .type = NLA_STRING' + (f', .maxlen = {top + 1}' if top else '') + ' }'
    if t == 'binary':
        exact = limit(family, attr, 'exact-len')
        low = exact if exact is not None else limit(family, attr, 'min-len')
        high = exact if exact is not None else limit(family, attr, 'max-len')
        parts = ['.type = NLA_UNSPEC']
        if low:
            parts.append(f'.minlen = {low}')
        if high:
            parts.append(f'.maxlen = {high}')
        return '{ ' + ', '.join(parts) + ' }'
    sys.exit(f'libnl.py: attribute type {t} ({attr.name}) not rendered')


def set_names(family, aset):
    pfx = c_name(aset.yaml.get('name-prefix', f'{family.name}-a-{aset.name}-')).upper()
    var = f'{family.name}_nl_policy' if aset.name == family.name else \
        f'{family.name}_nl_{c_name(aset.name)}_policy'
    return var, pfx, f'{pfx}MAX'


def banner(spec):
    return ['/* Do not edit directly, generated from: */',
            f'/*\t{spec} */',
            '/* by scripts/ynl/libnl.py (make regen): libnl attribute policies */', '']


def main():
    ynl_dir, spec, out_c, out_h = sys.argv[1:5]
    sys.path.insert(0, ynl_dir)
    from lib import SpecFamily   # the kernel's own spec loader

    family = SpecFamily(spec, schema_path='')
    sets = [s for s in family.attr_sets.values() if not s.subset_of]
    guard = f'{family.name.upper()}_NL_GEN_H'
    hdr_name = os.path.basename(out_h)

    h = ['/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */']
    h += banner(spec)
    h += [f'#ifndef {guard}', f'#define {guard}', '',
          '#include <netlink/attr.h>', '',
          f'#include <{family.yaml.get("uapi-header", "linux/" + family.name + ".h")}>', '']
    c = ['// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)']
    c += banner(spec)
    c += [f'#include "{hdr_name}"', '']
    for aset in sets:
        var, pfx, maxname = set_names(family, aset)
        h.append(f'extern const struct nla_policy {var}[{maxname} + 1];')
        c.append(f'/* attribute set "{aset.name}" */')
        c.append(f'const struct nla_policy {var}[{maxname} + 1] = {{')
        for attr in aset.attrs.values():
            entry = policy_entry(family, attr)
            if entry:
                c.append(f'\t[{pfx}{c_name(attr.name).upper()}] = {entry},')
        c += ['};', '']
    h += ['', f'#endif /* {guard} */']
    with open(out_h, 'w') as f:
        f.write('\n'.join(h) + '\n')
    with open(out_c, 'w') as f:
        f.write('\n'.join(c).rstrip('\n') + '\n')


if __name__ == '__main__':
    main()

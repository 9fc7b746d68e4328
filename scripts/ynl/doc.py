#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
The attribute reference of docs/netlink.md, rendered from the netlink spec
between the BEGIN/END GENERATED markers; the hand-written prose around them
is copied as is. (ynl-gen-rst.py writes reStructuredText for the kernel's
Sphinx tree; the project's docs are Markdown, so this renders the same
content as Markdown tables.)

usage: doc.py YNL_DIR SPEC DOC_IN DOC_OUT
"""
import sys

BEGIN = '<!-- BEGIN GENERATED from netlink/specs/evpn.yaml by scripts/ynl-gen.sh (make regen); do not edit -->'
END = '<!-- END GENERATED -->'


def c_upper(name):
    return name.replace('-', '_').upper()


def cell(text):
    return ' '.join(str(text or '').split()).replace('|', '\\|')


def checks(family, attr):
    out = []
    for k, v in attr.yaml.get('checks', {}).items():
        if isinstance(v, str) and v in family.consts:
            const = family.consts[v]
            name = c_upper(v) if const.get('header') else c_upper(family.name + '-' + v)
            v = f"{const['value']} (`{name}`)"
        out.append(f'{k} {v}')
    if 'enum' in attr.yaml:
        out.append(f"enum `{attr.yaml['enum']}`")
    if 'nested-attributes' in attr.yaml:
        out.append(f"nest of `{attr.yaml['nested-attributes']}`")
    if attr.yaml.get('multi-attr'):
        out.append('repeated')
    return ', '.join(out)


def render_consts(family):
    out = ['### Constants', '', '| name | value | meaning |', '|---|---|---|']
    for c in family.yaml['definitions']:
        if c['type'] != 'const':
            continue
        name = c_upper(c['name']) if c.get('header') else c_upper(family.name + '-' + c['name'])
        where = f" (defined in `{c['header']}`)" if c.get('header') else ''
        out.append(f"| `{name}` | {c['value']} | {cell(c.get('doc'))}{where} |")
    return out + ['']


def render_enums(family):
    out = []
    for c in family.yaml['definitions']:
        if c['type'] != 'enum':
            continue
        enum = family.consts[c['name']]
        pfx = c.get('name-prefix', f"{family.name}-{c['name']}-")
        out += [f"### Enum `{c['name']}` (`enum {family.name}_{c['name'].replace('-', '_')}`)", '',
                cell(c.get('doc')), '', '| value | name | meaning |', '|---|---|---|']
        for e in enum.entries.values():
            out.append(f"| {e.value} | `{c_upper(pfx + e.name)}` | {cell(e.yaml.get('doc') if isinstance(e.yaml, dict) else '')} |")
        out.append('')
    return out


def render_ops(family):
    out = ['### Commands', '',
           'Every command needs `CAP_NET_ADMIN` in the user namespace owning the network '
           'namespace (`GENL_UNS_ADMIN_PERM`) unless marked otherwise.', '',
           '| # | command | do request | dump request | reply | meaning |',
           '|---|---|---|---|---|---|']
    for op in family.msgs.values():
        def attrs(mode, part):
            if mode not in op.yaml:
                return '--' if mode != 'dump' or part != 'request' else '--'
            if part not in op.yaml[mode]:
                return 'none' if part == 'request' else 'ACK'
            return ', '.join(op.yaml[mode][part]['attributes'])
        if 'event' in op.yaml:
            req, dump, rep = 'never a request', '--', \
                f"notification on `{op.yaml['mcgrp']}`: " + ', '.join(op.yaml['event']['attributes'])
        elif 'do' not in op.yaml and 'dump' not in op.yaml:
            req, dump, rep = '--', '--', '--'
        else:
            req, dump = attrs('do', 'request'), attrs('dump', 'request')
            rep = attrs('do', 'reply') if 'do' in op.yaml else attrs('dump', 'reply')
            if 'do' not in op.yaml:
                req = '--'
        out.append(f"| {op.value} | `{c_upper(family.name + '-cmd-' + op.name)}` | {req} | {dump} | {rep} | {cell(op.yaml.get('doc'))} |")
    return out + ['']


def render_sets(family):
    out = []
    for aset in family.attr_sets.values():
        if aset.subset_of:
            continue
        pfx = aset.yaml.get('name-prefix')
        out += [f"### Attribute set `{aset.name}` (`enum {aset.yaml['enum-name'].replace('-', '_')}`)", '',
                cell(aset.yaml.get('doc')), '',
                '| # | attribute | type | checks | meaning |', '|---|---|---|---|---|']
        for a in aset.attrs.values():
            if a.type == 'unused' and a.value == 0:
                continue
            out.append(f"| {a.value} | `{c_upper(pfx + a.name)}` | {a.type} | {cell(checks(family, a))} | {cell(a.yaml.get('doc'))} |")
        out.append('')
    return out


def render_mcgrps(family):
    out = ['### Multicast groups', '', '| group | define | join needs |', '|---|---|---|']
    need = {'admin-perm': '`CAP_SYS_ADMIN`', 'uns-admin-perm': '`CAP_NET_ADMIN`'}
    for g in family.yaml['mcast-groups']['list']:
        flags = ', '.join(need[f] for f in g.get('flags', [])) or 'nothing'
        out.append(f"| `\"{g['name']}\"` | `{c_upper(family.name + '-mcgrp-' + g['name'])}` | {flags} |")
    return out + ['']


def main():
    ynl_dir, spec, doc_in, doc_out = sys.argv[1:5]
    sys.path.insert(0, ynl_dir)
    from lib import SpecFamily   # the kernel's own spec loader

    family = SpecFamily(spec, schema_path='')
    text = open(doc_in).read()
    if BEGIN not in text or END not in text:
        sys.exit(f'doc.py: {doc_in} lacks the GENERATED markers')
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    body = [BEGIN, '',
            f"Family `\"{family.name}\"` (`{c_upper(family.yaml['c-family-name'])}`), "
            f"version {family.yaml.get('version', 1)} (`{c_upper(family.yaml['c-version-name'])}`).", '']
    body += render_ops(family) + render_sets(family) + render_enums(family) + \
        render_consts(family) + render_mcgrps(family)
    body.append(END)
    with open(doc_out, 'w') as f:
        f.write(head + '\n'.join(body) + tail)


if __name__ == '__main__':
    main()

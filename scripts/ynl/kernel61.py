#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
Make ynl-gen-c's kernel output build on Linux 6.1 (Debian 12's kernel).

ynl-gen-c.py (linux-source-6.12) writes the attribute policies, then an ops
table of `struct genl_split_ops` (one entry per do and per dump, with
per-op pre_doit/post_doit) and the multicast groups. 6.1 has no split ops
(added in 6.2): it takes `struct genl_ops`, one entry per command with one
policy for do and dump, and pre_doit/post_doit once per family, taking a
`const struct genl_ops *`. So this script keeps the generator's output up
to its "Ops table" comment -- the policies, verbatim -- and renders the rest
from the same spec in 6.1's form:

  - the ops table: one struct genl_ops per command (doit, dumpit, the do
    request's policy, or the dump's when there is no do, and the flags);
  - pre_doit/post_doit: the spec's per-op `pre`/`post` hooks, which must be
    the same for every do (6.1 has one per family) and absent on dumps;
  - the multicast groups with their flags (6.12's generator drops them);
  - the family struct, as ynl-gen-c writes it for protocol "genetlink"
    (it writes none for genetlink-legacy), with `.ops` instead of
    `.split_ops`.

usage: kernel61.py YNL_DIR SPEC GEN_C GEN_H OUT_C OUT_H
"""
import sys


def c_lower(name):
    return name.replace('-', '_').lower()


def c_upper(name):
    return name.replace('-', '_').upper()


def keep_policies(text, uapi_header):
    """The generator's output up to its ops table, with includes fixed."""
    head = text.split('/* Ops table for ')[0].rstrip('\n') + '\n'
    # Kbuild puts uapi/ on the include path (ccflags -I$(src)/uapi), not the
    # tree root: the kernel's <uapi/...> prefix would find nothing.
    head = head.replace(f'#include <uapi/{uapi_header}>',
                        f'#include <{uapi_header}>')
    lines, seen = [], set()
    for line in head.split('\n'):    # one #include per header (one per const)
        if line.startswith('#include'):
            if line in seen:
                continue
            seen.add(line)
        lines.append(line)
    return '\n'.join(lines)


def dual_policy(op):
    """Does ynl-gen-c write a do and a dump policy for @op?"""
    return all(mode in op and 'request' in op[mode] for mode in ('do', 'dump'))


def request_policy(family, op):
    """(policy name, maxattr enum) of the op's request, do before dump."""
    mode = 'do' if 'do' in op and 'request' in op['do'] else 'dump'
    if mode not in op or 'request' not in op[mode]:
        return None, None
    if dual_policy(op) and op['do']['request'] != op['dump']['request']:
        sys.exit(f"{op.name}: do and dump requests differ; Linux 6.1 has one "
                 "policy per command")
    aset = family.attr_sets[op['attribute-set']]
    last = max((aset[a] for a in op[mode]['request']['attributes']),
               key=lambda a: a.value)
    infix = '-do' if dual_policy(op) else ''
    return (c_lower(f"{family.name}-{op.name}{infix}-nl-policy"),
            c_upper(f"{aset.yaml.get('name-prefix')}{last.name}"))


def drop_dump_policies(family, text):
    """Remove the dump policies of dual-policy ops: 6.1 uses the do one."""
    for op in family.ops.values():
        if not dual_policy(op):
            continue
        start = text.index(f"/* {c_upper(family.name + '-cmd-' + op.name)} - dump */\n")
        end = text.index('};\n', start) + len('};\n')
        text = text[:start] + text[end:].lstrip('\n')
    return text


def one_hook(family, when):
    hooks = set()
    for op in family.ops.values():
        if 'dump' in op and when in op['dump']:
            sys.exit(f"{op.name}: dump {when} hooks are not rendered for 6.1")
        if 'do' in op:
            hooks.add(op['do'].get(when))
    if len(hooks) > 1:
        sys.exit(f"do {when} hooks differ ({hooks}); Linux 6.1 has one per family")
    hook = hooks.pop() if hooks else None
    return c_lower(hook) if hook else None


def flags_of(flags, prefix):
    names = {'admin-perm': prefix[0], 'uns-admin-perm': prefix[1]}
    return ' | '.join(names[f] for f in flags)


def render_ops(family):
    out = ['/* Ops table for %s: struct genl_ops, one entry per command, as Linux'
           % family.name,
           ' * 6.1 takes them (scripts/ynl/kernel61.py; 6.2+ also takes split ops) */',
           f'const struct genl_ops {family.name}_nl_ops[{len(real_ops(family))}] = {{']
    for op in real_ops(family):
        members = [('cmd', c_upper(f"{family.name}-cmd-{op.name}"))]
        for mode in ('do', 'dump'):
            if mode in op:
                members.append((mode + 'it',
                                c_lower(f"{family.name}-nl-{op.name}-{mode}it")))
        policy, maxattr = request_policy(family, op)
        if policy:
            members += [('policy', policy), ('maxattr', maxattr)]
        if 'flags' in op:
            members.append(('flags', flags_of(op['flags'],
                                              ('GENL_ADMIN_PERM', 'GENL_UNS_ADMIN_PERM'))))
        out.append('\t{')
        for k, v in members:
            out.append(f'\t\t.{k}\t= {v},' if len(k) >= 7 else f'\t\t.{k}\t\t= {v},')
        out.append('\t},')
    out.append('};')
    return out


def real_ops(family):
    """Ops the kernel registers: those with a do or a dump."""
    return [op for op in family.ops.values() if 'do' in op or 'dump' in op]


def render_mcgrps(family):
    out = [f'const struct genl_multicast_group {family.name}_nl_mcgrps[] = {{']
    for grp in family.yaml['mcast-groups']['list']:
        flags = flags_of(grp.get('flags', []),
                         ('GENL_MCAST_CAP_SYS_ADMIN', 'GENL_MCAST_CAP_NET_ADMIN'))
        init = f'.name = "{grp["name"]}",' + (f' .flags = {flags},' if flags else '')
        out.append(f'\t[{c_upper(family.name + "-nlgrp-" + grp["name"])}] = {{ {init} }},')
    out.append('};')
    return out


def render_family(family, pre, post):
    fam = family.yaml
    out = [f'struct genl_family {family.name}_nl_family __ro_after_init = {{',
           f"\t.name\t\t= {c_upper(fam['c-family-name'])},",
           f"\t.version\t= {c_upper(fam['c-version-name'])},",
           f"\t.maxattr\t= {c_upper(family.name + '-a-max')},",
           '\t.netnsok\t= true,',
           '\t.parallel_ops\t= true,',
           '\t.module\t\t= THIS_MODULE,',
           '\t/* resv_start_op 0: every command is validated strictly */']
    if pre:
        out.append(f'\t.pre_doit\t= {pre},')
    if post:
        out.append(f'\t.post_doit\t= {post},')
    out += [f'\t.ops\t\t= {family.name}_nl_ops,',
            f'\t.n_ops\t\t= ARRAY_SIZE({family.name}_nl_ops),',
            f'\t.mcgrps\t\t= {family.name}_nl_mcgrps,',
            f'\t.n_mcgrps\t= ARRAY_SIZE({family.name}_nl_mcgrps),',
            '};']
    return out


def render_header_tail(family, pre, post):
    n = family.name
    out = [f'/* Ops table for {n} (Linux 6.1 form, scripts/ynl/kernel61.py) */',
           f'extern const struct genl_ops {n}_nl_ops[{len(real_ops(family))}];',
           f'extern const struct genl_multicast_group {n}_nl_mcgrps[{len(family.yaml["mcast-groups"]["list"])}];',
           f'extern struct genl_family {n}_nl_family;', '']
    if pre:
        out.append(f'int {pre}(const struct genl_ops *ops, struct sk_buff *skb,')
        out.append('\t' * 2 + 'struct genl_info *info);')
    if post:
        out.append(f'void {post}(const struct genl_ops *ops, struct sk_buff *skb,')
        out.append('\t' * 2 + 'struct genl_info *info);')
    out.append('')
    for op in real_ops(family):
        if 'do' in op:
            out.append(f'int {c_lower(n + "-nl-" + op.name)}_doit(struct sk_buff *skb, struct genl_info *info);')
        if 'dump' in op:
            out.append(f'int {c_lower(n + "-nl-" + op.name)}_dumpit(struct sk_buff *skb, struct netlink_callback *cb);')
    out += ['', 'enum {']
    out += [f'\t{c_upper(n + "-nlgrp-" + g["name"])},' for g in family.yaml['mcast-groups']['list']]
    out += ['};', '', f'#endif /* _LINUX_{c_upper(n)}_GEN_H */']
    return out


def main():
    ynl_dir, spec, gen_c, gen_h, out_c, out_h = sys.argv[1:7]
    sys.path.insert(0, ynl_dir)
    from lib import SpecFamily   # the kernel's own spec loader (tools/net/ynl/lib)

    family = SpecFamily(spec, schema_path='')
    uapi = family.yaml.get('uapi-header', f'linux/{family.name}.h')
    pre, post = one_hook(family, 'pre'), one_hook(family, 'post')

    src = drop_dump_policies(family, keep_policies(open(gen_c).read(), uapi)).split('\n')
    src += render_ops(family) + [''] + render_mcgrps(family) + [''] + \
        render_family(family, pre, post)
    hdr = keep_policies(open(gen_h).read(), uapi).split('\n')
    hdr += render_header_tail(family, pre, post)
    with open(out_c, 'w') as f:
        f.write('\n'.join(src) + '\n')
    with open(out_h, 'w') as f:
        f.write('\n'.join(hdr) + '\n')


if __name__ == '__main__':
    main()

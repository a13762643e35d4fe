#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The netlink family's spec against its C code.

  netlink-gen.py gen SCHEMA SPEC OUTDIR
      validate SPEC against SCHEMA (jsonschema), then write OUTDIR/netlink-gen.c
      and OUTDIR/netlink-gen.h: the policy, the op table, the multicast
      groups, the handlers' prototypes, as kernel/netlink.c uses them.
  netlink-gen.py uapi RENDERED HEADER
      compare the constants of RENDERED (the uapi header ynl-gen-c.py
      renders from the spec) with those of HEADER (ours, written by hand):
      the same enum tags, names and values, the same defines.

Why not ynl-gen-c.py --mode kernel: the generator of the Linux we build
against (6.12) cannot express a binary attribute with both a minimum and
a maximum length (SSTP_A_CTRL_PACKET) or with a maximum length alone in
the .len form the 6.1 kernel validates (SSTP_A_RX_PREFIX), and the family
struct it writes would differ from ours (parallel_ops, no multicast flags).
This covers the part of the spec language the family uses, names things
the way ynl-gen-c.py does, and refuses anything else.
"""

import re
import sys

import jsonschema
import yaml

# Netlink types of attributes, as the kernel names them.
NLA_TYPES = {'u8': 'NLA_U8', 'u16': 'NLA_U16', 'u32': 'NLA_U32',
             'u64': 'NLA_U64', 's8': 'NLA_S8', 's16': 'NLA_S16',
             's32': 'NLA_S32', 's64': 'NLA_S64', 'binary': 'NLA_BINARY',
             'string': 'NLA_NUL_STRING', 'flag': 'NLA_FLAG'}
# Flags of an operation, and of a multicast group (who may join it).
OP_FLAGS = {'admin-perm': 'GENL_ADMIN_PERM',
            'uns-admin-perm': 'GENL_UNS_ADMIN_PERM'}
MCGRP_FLAGS = {'uns-admin-perm': 'GENL_MCAST_CAP_NET_ADMIN'}


def die(msg):
    print(f'netlink-gen: {msg}', file=sys.stderr)
    sys.exit(1)


def c_upper(name):
    return name.upper().replace('-', '_')


def c_lower(name):
    return name.lower().replace('-', '_')


class Spec:
    def __init__(self, schema_path, spec_path):
        with open(spec_path) as f:
            self.y = yaml.safe_load(f)
        with open(schema_path) as f:
            schema = yaml.safe_load(f)
        try:
            jsonschema.validate(self.y, schema)
        except jsonschema.ValidationError as e:
            die(f'{spec_path}: {e.message}')
        self.path = spec_path
        self.name = self.y['name']
        if self.y.get('kernel-policy') != 'global':
            die('only kernel-policy: global is supported')
        self.consts = {d['name']: d for d in self.y.get('definitions', [])
                       if d['type'] == 'const'}
        self.sets = {s['name']: s for s in self.y['attribute-sets']}

    def attr_enum(self, set_name, attr):
        aset = self.sets[set_name]
        pfx = aset.get('name-prefix', f'{self.name}-a-')
        return c_upper(pfx + attr['name'])

    def limit(self, value):
        """A check's value: a number, or the C name of a const."""
        if isinstance(value, int):
            return str(value)
        const = self.consts.get(value)
        if const is None:
            die(f'check names {value}, which is no const')
        # ynl-gen-c.py's names: a const from a header keeps its own.
        if const.get('header'):
            return c_upper(value)
        return c_upper(f'{self.name}-{value}')

    def policy_entry(self, set_name, attr):
        t = attr['type']
        if t not in NLA_TYPES:
            die(f"attribute {attr['name']}: type {t} not supported")
        nla = NLA_TYPES[t]
        checks = dict(attr.get('checks', {}))
        lo, hi = None, None
        if t == 'binary':
            lo = checks.pop('min-len', None)
            hi = checks.pop('max-len', None)
            exact = checks.pop('exact-len', None)
            if exact is not None:
                if lo is not None or hi is not None:
                    die(f"attribute {attr['name']}: exact-len and more")
                res = f'NLA_POLICY_EXACT_LEN({self.limit(exact)})'
            elif lo is not None and hi is not None:
                res = (f'NLA_POLICY_RANGE({nla}, {self.limit(lo)}, '
                       f'{self.limit(hi)})')
            elif hi is not None:
                res = f'{{ .type = {nla}, .len = {self.limit(hi)} }}'
            elif lo is not None:
                res = f'NLA_POLICY_MIN_LEN({self.limit(lo)})'
            else:
                res = f'{{ .type = {nla} }}'
        else:
            lo = checks.pop('min', None)
            hi = checks.pop('max', None)
            if lo is not None and hi is not None:
                res = (f'NLA_POLICY_RANGE({nla}, {self.limit(lo)}, '
                       f'{self.limit(hi)})')
            elif lo is not None:
                res = f'NLA_POLICY_MIN({nla}, {self.limit(lo)})'
            elif hi is not None:
                res = f'NLA_POLICY_MAX({nla}, {self.limit(hi)})'
            else:
                res = f'{{ .type = {nla} }}'
        if checks:
            die(f"attribute {attr['name']}: checks {sorted(checks)} "
                'not supported')
        return res

    def ops(self):
        return [op for op in self.y['operations']['list']
                if 'do' in op or 'dump' in op]

    def policy_set(self):
        """The one attribute set requests use (kernel-policy: global)."""
        names = {op['attribute-set'] for op in self.ops()}
        if len(names) != 1:
            die(f'requests use attribute sets {sorted(names)}, not one')
        return names.pop()

    def policy_attrs(self):
        """Attributes of any request, in their set's order."""
        wanted = set()
        for op in self.ops():
            for mode in ('do', 'dump'):
                req = op.get(mode, {}).get('request', {})
                wanted.update(req.get('attributes', []))
        set_name = self.policy_set()
        attrs = [a for a in self.sets[set_name]['attributes']
                 if a['name'] in wanted]
        missing = wanted - {a['name'] for a in attrs}
        if missing:
            die(f'requests name unknown attributes {sorted(missing)}')
        return set_name, attrs

    def handlers(self):
        for op in self.ops():
            for mode in ('do', 'dump'):
                if mode in op:
                    yield op, mode, c_lower(f"{self.name}-nl-{op['name']}-{mode}it")

    def cmd_enum(self, op):
        pfx = self.y['operations'].get('name-prefix', f'{self.name}-cmd-')
        return c_upper(pfx + op['name'])

    def mcgrps(self):
        return self.y.get('mcast-groups', {}).get('list', [])


def width(line):
    return len(line.expandtabs(8))


def wrap(line):
    """Break a line wider than 80 columns after a comma, aligned with
    the parenthesis or brace it is in, the kernel's way."""
    if width(line) <= 80:
        return [line]
    cut = line.rfind(', ', 0, len(line) - (width(line) - 80))
    opener = max(line.rfind('(', 0, cut), line.rfind('{ ', 0, cut) + 1)
    if cut < 0 or opener <= 0:
        die(f'cannot wrap: {line}')
    col = width(line[:opener + 1])
    rest = '\t' * (col // 8) + ' ' * (col % 8) + line[cut + 2:]
    return [line[:cut + 1]] + wrap(rest)


def write_file(path, lines):
    out = []
    for line in lines:
        out += wrap(line)
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')


def gen(schema_path, spec_path, outdir):
    s = Spec(schema_path, spec_path)
    fam = s.name
    src = 'Documentation/netlink/specs/' + spec_path.rsplit('/', 1)[-1]
    banner = ['/*', f' * Generated from {src}', ' * by tools/netlink-gen.py: do not edit.', ' */']
    uapi = s.y.get('uapi-header', f'linux/{fam}.h')
    set_name, attrs = s.policy_set(), s.policy_attrs()[1]
    max_name = c_upper(s.sets[set_name].get('attr-max-name',
                                           f'{fam}-a-max'))
    ops = s.ops()
    grps = s.mcgrps()

    # The header: what netlink.c uses.
    guard = f'_{c_upper(fam)}_NETLINK_GEN_H'
    h = ['/* SPDX-License-Identifier: GPL-2.0 */'] + banner + [
        f'#ifndef {guard}', f'#define {guard}', '',
        '#include <net/genetlink.h>', '', f'#include <{uapi}>', '']
    scoped = [c for c in s.consts.values()
              if c.get('scope') == 'kernel' and not c.get('header')]
    names = [c_upper(fam + '-' + c['name']) for c in scoped]
    col = max((width(f'#define {n}') for n in names), default=0) // 8 * 8 + 8
    for n, c in zip(names, scoped):
        pad = (col - width(f'#define {n}') + 7) // 8
        h.append(f'#define {n}' + '\t' * pad + str(c['value']))
    if scoped:
        h.append('')
    h += [f'extern const struct nla_policy {fam}_nl_policy[{max_name} + 1];',
          f'extern const struct genl_small_ops {fam}_nl_ops[{len(ops)}];', '']
    for op, mode, name in s.handlers():
        if mode == 'do':
            h.append(f'int {name}(struct sk_buff *skb, struct genl_info *info);')
        else:
            col = len(f'int {name}(')
            h.append(f'int {name}(struct sk_buff *skb,')
            h.append('\t' * (col // 8) + ' ' * (col % 8)
                     + 'struct netlink_callback *cb);')
    if grps:
        h += ['', 'enum {']
        h += [f"\t{c_upper(fam + '-nlgrp-' + g['name'])}," for g in grps]
        h += ['};', '',
              f'extern const struct genl_multicast_group '
              f'{fam}_nl_mcgrps[{len(grps)}];']
    h += ['', f'#endif /* {guard} */']
    write_file(f'{outdir}/netlink-gen.h', h)

    # The source: the tables.
    c = ['// SPDX-License-Identifier: GPL-2.0'] + banner + [
        '', '#include <net/genetlink.h>', '']
    headers = sorted({d['header'] for d in s.consts.values()
                      if d.get('header') and '/' in d['header']})
    c += [f'#include <{x}>' for x in headers]
    c += [''] if headers else []
    local = sorted({d['header'] for d in s.consts.values()
                    if d.get('header') and '/' not in d['header']})
    c += ['#include "netlink-gen.h"'] + [f'#include "{x}"' for x in local]
    hdr_consts = [d for d in s.consts.values() if d.get('header')]
    if hdr_consts:
        c += ['', '/* The constants the policy names have the values of the spec. */']
        for d in hdr_consts:
            c.append(f"static_assert({c_upper(d['name'])} == {d['value']});")
    c += ['', f'const struct nla_policy {fam}_nl_policy[{max_name} + 1] = {{']
    for a in attrs:
        c.append(f'\t[{s.attr_enum(set_name, a)}] = {s.policy_entry(set_name, a)},')
    c += ['};', '', f'const struct genl_small_ops {fam}_nl_ops[{len(ops)}] = {{']
    for op in ops:
        c += ['\t{', f'\t\t.cmd\t= {s.cmd_enum(op)},']
        for mode in ('do', 'dump'):
            if mode in op:
                name = c_lower(f"{fam}-nl-{op['name']}-{mode}it")
                c.append(f'\t\t.{mode}it\t= {name},')
        if op.get('dont-validate'):
            die(f"op {op['name']}: dont-validate not supported")
        flags = [OP_FLAGS[f] for f in op.get('flags', [])]
        if flags:
            c.append(f"\t\t.flags\t= {' | '.join(flags)},")
        c.append('\t},')
    c.append('};')
    if grps:
        c += ['', f'const struct genl_multicast_group {fam}_nl_mcgrps[{len(grps)}] = {{']
        for g in grps:
            gid = c_upper(fam + '-nlgrp-' + g['name'])
            define = c_upper(g.get('c-define-name',
                                   f"{fam}-mcgrp-{g['name']}"))
            flags = []
            for f in g.get('flags', []):
                if f not in MCGRP_FLAGS:
                    die(f"multicast group {g['name']}: flag {f} not supported")
                flags.append(MCGRP_FLAGS[f])
            if flags:
                c.append(f'\t[{gid}] = {{ .name = {define},')
                col = 8 + len(f'[{gid}] = {{ ')
                c.append('\t' * (col // 8) + ' ' * (col % 8)
                         + f".flags = {' | '.join(flags)} }},")
            else:
                c.append(f'\t[{gid}] = {{ .name = {define} }},')
        c.append('};')
    write_file(f'{outdir}/netlink-gen.c', c)


def constants(path):
    """Enum tags, enum constants and defines of a uapi header."""
    with open(path) as f:
        text = f.read()
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    tags, values, defines = set(), {}, {}
    for m in re.finditer(r'^#define\s+(\w+)\s+(.*?)\s*$', text, flags=re.M):
        if not m.group(1).startswith('_UAPI_'):
            defines[m.group(1)] = re.sub(r'\s+', '', m.group(2))
    for m in re.finditer(r'enum\s+(\w*)\s*\{(.*?)\}', text, flags=re.S):
        if m.group(1):
            tags.add(m.group(1))
        val = -1
        for item in m.group(2).split(','):
            item = item.strip()
            if not item:
                continue
            name, _, expr = (x.strip() for x in item.partition('='))
            if expr:
                expr = re.sub(r'\b[A-Za-z_]\w*\b',
                              lambda n: str(values[n.group(0)]), expr)
                val = int(eval(expr, {}))  # digits, parens and +-
            else:
                val += 1
            values[name] = val
    return tags, values, defines


# What ynl cannot say, or says beyond what our header has, and why.
UAPI_ONLY_OURS = {
    # ynl numbers commands from 1 and has no name for the unused 0.
    'SSTP_CMD_UNSPEC',
}
UAPI_ONLY_SPEC = {
    # render-max writes the max beside the count; we have the count only.
    'SSTP_DOWN_MAX',
}


def uapi(rendered, ours):
    rt, rv, rd = constants(rendered)
    ot, ov, od = constants(ours)
    bad = []
    for tag in sorted(rt ^ ot):
        bad.append(f"enum {tag}: only in {'the spec' if tag in rt else ours}")
    for name in sorted(set(rv) | set(ov)):
        if name in rv and name in ov:
            if rv[name] != ov[name]:
                bad.append(f'{name}: {ov[name]} in {ours}, {rv[name]} in the spec')
        elif name in rv and name not in UAPI_ONLY_SPEC:
            bad.append(f'{name}: in the spec, not in {ours}')
        elif name in ov and name not in UAPI_ONLY_OURS:
            bad.append(f'{name}: in {ours}, not in the spec')
    for name in sorted(set(rd) | set(od)):
        if rd.get(name) != od.get(name):
            bad.append(f'#define {name}: {od.get(name)} in {ours}, '
                       f'{rd.get(name)} in the spec')
    for b in bad:
        print(b)
    return 1 if bad else 0


def main():
    if len(sys.argv) == 5 and sys.argv[1] == 'gen':
        gen(*sys.argv[2:])
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == 'uapi':
        return uapi(*sys.argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())

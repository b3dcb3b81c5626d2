#!/usr/bin/python3
"""Independent DKIM verifier for the tests: Debian's python3-dkim (dkimpy).

usage: dkim_verify.py MESSAGE_FILE DNS_JSON
DNS_JSON maps TXT names (e.g. "sel._domainkey.example.com") to record values.
Prints one JSON line: a list with, per DKIM-Signature (top first), its d=, s=, a= and whether it verifies.
"""
import json
import re
import sys

import dkim


def main():
    message = open(sys.argv[1], 'rb').read()
    records = json.load(open(sys.argv[2]))

    def dnsfunc(name, timeout=5):
        key = name.decode() if isinstance(name, bytes) else name
        value = records.get(key.rstrip('.'))
        return value.encode() if value is not None else None

    checker = dkim.DKIM(message)
    header_end = message.find(b'\r\n\r\n')
    header = message[:header_end]
    count = len(re.findall(rb'(?im)^dkim-signature:', header))
    results = []
    for idx in range(count):
        sig = checker.headers and [v for (k, v) in checker.headers if k.lower() == b'dkim-signature'][idx]
        tags = dict(
            (t.split(b'=', 1)[0].strip().decode(), t.split(b'=', 1)[1].strip().decode())
            for t in re.sub(rb'\s+', b'', sig).split(b';')
            if b'=' in t
        )
        ok = bool(checker.verify(idx=idx, dnsfunc=dnsfunc))
        results.append({'d': tags.get('d'), 's': tags.get('s'), 'a': tags.get('a'), 'ok': ok})
    print(json.dumps(results))


main()

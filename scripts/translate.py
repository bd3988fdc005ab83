"""Fill zh-hans msgstrs from a small JSON map on standard input: {"msgid": "msgstr", ...}.

A helper for translators: `make makemessages`, then pipe the new entries' translations in.
"""

import json
import sys

import polib

PO = "src/firstcall/locale/zh_Hans/LC_MESSAGES/django.po"

if __name__ == "__main__":
    mapping = json.load(sys.stdin)
    po = polib.pofile(PO)
    for entry in po:
        if entry.msgid in mapping:
            entry.msgstr = mapping[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(PO)
    print(f"{po.percent_translated()}% translated")

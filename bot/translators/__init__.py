"""The translators' workflow: status, export to PO/XLSX, import back into rules/text/<lang>.yaml,
and marking hand-fixed translations as current. See TRANSLATING.md.

catalog.py   what is translatable, with its context, limit and placeholders (one Unit per key)
checks.py    the checks one imported translation must pass
status.py    per-language counts and percentages (table and JSON)
po.py        gettext PO export and parsing (polib)
xlsx.py      spreadsheet export and parsing (openpyxl)
yamltext.py  round-trip writing of rules/text/<lang>.yaml (ruamel.yaml: comments, order, quotes kept)
apply.py     import: validate every entry, then write the accepted ones
mark.py      `mark-current`: record that translations match the current source text
cli.py       the `ogoh i18n ...` commands
"""

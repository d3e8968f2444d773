"""`python -m bot.translators i18n ...`: the translators' commands without the rest of `ogoh`."""

import sys

from bot.translators.cli import main

sys.exit(main())

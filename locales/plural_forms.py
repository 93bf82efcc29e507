"""Plural-Forms for each catalog: CLDR's integer plural categories, as gettext expressions.

Babel's built-in gettext table gives Turkish and Persian one form and Indonesian two,
which is not what CLDR says; CLDR's own gettext rendering adds forms for fractions and
exponents (Russian four, French three) that counts of sessions never use. These are the
integer categories CLDR defines, written the way gettext tools expect. Used by
`make i18n` when a catalog is created, and checked by tests/test_catalogs.py.
"""

PLURAL_FORMS = {
    # zero, one, two, few (3-10), many (11-99), other
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "fa": "nplurals=2; plural=(n > 1);",  # one: 0 and 1
    "fr": "nplurals=2; plural=(n > 1);",  # one: 0 and 1
    "id": "nplurals=1; plural=0;",  # other only
    # one (1, 21, 31…), few (2-4, 22-24…), many (0, 5-20, 25-30…)
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "tr": "nplurals=2; plural=(n != 1);",
    "ur": "nplurals=2; plural=(n != 1);",
}

{#- The SQL twin of the extractor's one Arabic normaliser, ingest/extract/text.normalize_form: delete
    diacritics (U+064B-U+0652, superscript alef U+0670), tatweel and invisible marks (ZWNJ, ZWJ, LRM, RLM,
    BOM); write Eastern Arabic and Persian digits as ASCII; unify alef forms (أإآٱ -> ا), alef maqsura
    (ى -> ي) and taa marbuta (ة -> ه). tests/test_normalizer_parity.py checks that it gives the Python
    result on every form and name of every seed. -#}
{% macro fold_arabic(expr) -%}
    translate(translate(
        regexp_replace({{ expr }}, '[\x{064B}-\x{0652}\x{0670}\x{0640}\x{200C}-\x{200F}\x{FEFF}]', '', 'g'),
        '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹', '01234567890123456789'),
        'أإآٱىة', 'اااايه')
{%- endmacro %}

{#- Normalise an Arabic place name for matching: fold_arabic, then strip a generic prefix such as
    "مدينة" or "ريف" and a trailing compass word (the rows of seeds/place_name_affixes.csv), drop the
    article "ال" (and "لل", the article after the preposition ل) at the start of each word, so that
    "الرقة", "رقه" and "للرقة" meet; collapse spaces. Applied to both sides of a lookup. `affixes` names
    the calling model's import CTE of the seed place_name_affixes: its words are read at run time. -#}
{% macro normalize_arabic(expr, affixes) -%}
    trim(regexp_replace(regexp_replace(regexp_replace(
        {{ strip_place_affix(strip_place_affix('lower(trim(' ~ fold_arabic(expr) ~ '))', affixes, 'prefix'), affixes, 'suffix') }},
        '[^\x{0621}-\x{064A}a-z0-9 ]', '', 'g'),
        '\s+', ' ', 'g'),
        '(^| )(لل|ال)(\S{2,})', '\1\3', 'g'))
{%- endmacro %}

{#- expr without its first word and the spaces after it when that word is an affix of kind 'prefix',
    or without its last word and the spaces before it when that is one of kind 'suffix' (one at most):
    a set lookup of the word, not a pattern built from the seed, so the regexes stay constant. -#}
{% macro strip_place_affix(expr, affixes, kind) -%}
    {%- set words -%}
        (select {{ fold_arabic('form') }} from {{ affixes }} where kind = '{{ kind }}')
    {%- endset -%}
    {%- if kind == 'prefix' -%}
        case when regexp_extract({{ expr }}, '^(\S+)\s', 1) in {{ words }}
            then regexp_replace({{ expr }}, '^\S+\s+', '') else {{ expr }} end
    {%- else -%}
        case when regexp_extract({{ expr }}, '\s(\S+)$', 1) in {{ words }}
            then regexp_replace({{ expr }}, '\s+\S+$', '') else {{ expr }} end
    {%- endif -%}
{%- endmacro %}

{#- The consonant skeleton of a normalised name: the long vowels and hamza seats (ا و ي ء ئ ؤ)
    after the first letter of each word are dropped, so spellings that write a vowel or leave it
    out meet ("ديريك" / "ديرك" -> "درك"). Looser than normalize_arabic: used only as a fallback
    and only where a skeleton names a single place. -#}
{% macro arabic_skeleton(normalized_expr) -%}
    regexp_replace({{ normalized_expr }}, '(\S)[اويءئؤ]+', '\1', 'g')
{%- endmacro %}

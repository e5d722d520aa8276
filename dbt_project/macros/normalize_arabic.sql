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

{#- Normalise an Arabic place name for matching: fold_arabic, then strip generic prefixes such as
    "مدينة" or "ريف" and trailing compass words, drop the article "ال" (and "لل", the article after the
    preposition ل) at the start of each word, so that "الرقة", "رقه" and "للرقة" meet; collapse spaces.
    Applied to both sides of a lookup. -#}
{% macro normalize_arabic(expr) -%}
    trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        lower(trim({{ fold_arabic(expr) }})),
        '^(مدينه|بلده|قريه|ناحيه|منطقه|محافظه|ريف|باديه|حقل|مخيم)\s+', '', 'g'),
        '\s+(الشرقي|الغربي|الشمالي|الجنوبي|الشرقيه|الغربيه|الشماليه|الجنوبيه)$', '', 'g'),
        '[^\x{0621}-\x{064A}a-z0-9 ]', '', 'g'),
        '\s+', ' ', 'g'),
        '(^| )(لل|ال)(\S{2,})', '\1\3', 'g'))
{%- endmacro %}

{#- The consonant skeleton of a normalised name: the long vowels and hamza seats (ا و ي ء ئ ؤ)
    after the first letter of each word are dropped, so spellings that write a vowel or leave it
    out meet ("ديريك" / "ديرك" -> "درك"). Looser than normalize_arabic: used only as a fallback
    and only where a skeleton names a single place. -#}
{% macro arabic_skeleton(normalized_expr) -%}
    regexp_replace({{ normalized_expr }}, '(\S)[اويءئؤ]+', '\1', 'g')
{%- endmacro %}

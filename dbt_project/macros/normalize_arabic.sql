{#- Normalise an Arabic place name for matching: drop diacritics and tatweel, unify
    alef / alef maqsura / taa marbuta forms (أإآٱ -> ا, ى -> ي, ة -> ه), strip generic
    prefixes such as "مدينة" or "ريف" and trailing compass words, drop the article "ال"
    (and "لل", the article after the preposition ل) at the start of each word, so that
    "الرقة", "رقه" and "للرقة" meet; collapse spaces. Applied to both sides of a lookup. -#}
{% macro normalize_arabic(expr) -%}
    trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        translate(lower(trim({{ expr }})), 'أإآٱىة', 'اااايه'),
        '[\x{064B}-\x{0652}\x{0640}]', '', 'g'),
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

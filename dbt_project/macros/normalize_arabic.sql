{#- Normalise an Arabic place name for matching: drop diacritics and tatweel, unify
    alef / alef maqsura / taa marbuta forms, strip generic prefixes such as "مدينة"
    or "ريف" and trailing compass words, collapse spaces. Applied to both sides of a lookup. -#}
{% macro normalize_arabic(expr) -%}
    trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        translate(lower(trim({{ expr }})), 'أإآٱىة', 'اااايه'),
        '[\x{064B}-\x{0652}\x{0640}]', '', 'g'),
        '^(مدينه|بلده|قريه|ناحيه|منطقه|محافظه|ريف|باديه|حقل|مخيم)\s+', '', 'g'),
        '\s+(الشرقي|الغربي|الشمالي|الجنوبي|الشرقيه|الغربيه|الشماليه|الجنوبيه)$', '', 'g'),
        '[^\x{0621}-\x{064A}a-z0-9 ]', '', 'g'),
        '\s+', ' ', 'g'))
{%- endmacro %}

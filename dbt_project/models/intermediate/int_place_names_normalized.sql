-- One row per (place, spelling): every Arabic name and '|'-separated variant of the
-- gazetteer and of the governorates, normalised for lookup, with its consonant skeleton
-- for spellings the gazetteer does not list ("ديرك" for "ديريك"). Governorates get the
-- ISO 3166-2 code as place_id so a mention naming only "حمص" resolves to Homs.
with gazetteer as (
    select * from {{ ref('gazetteer') }}
),

governorates as (
    select * from {{ ref('governorates') }}
),

place_name_affixes as (
    select * from {{ ref('place_name_affixes') }}
),

gazetteer_spellings as (
    select place_id, name_ar as spelling, 'name' as spelling_kind from gazetteer
    union all
    select g.place_id, v.spelling, 'variant' as spelling_kind
    from gazetteer as g
    cross join {{ split_to_rows("coalesce(g.variants_ar, '')", '|', 'v', 'spelling') }}
),

governorate_spellings as (
    select admin1 as place_id, name_ar as spelling, 'name' as spelling_kind from governorates
    union all
    select g.admin1, v.spelling, 'variant' as spelling_kind
    from governorates as g
    cross join {{ split_to_rows("coalesce(g.variants_ar, '')", '|', 'v', 'spelling') }}
),

places as (
    select
        place_id, name_ar, name_en, feature_type, admin1,
        cast(latitude as double) as latitude, cast(longitude as double) as longitude
    from gazetteer
    union all
    select
        admin1 as place_id, name_ar, name_en, 'governorate' as feature_type, admin1,
        cast(latitude as double), cast(longitude as double)
    from governorates
    -- a gazetteer that already lists the governorate keeps its own row
    where admin1 not in (select place_id from gazetteer)
),

spellings as (
    select place_id, spelling, spelling_kind from gazetteer_spellings
    union all
    select place_id, spelling, spelling_kind from governorate_spellings
),

normalized as (
    select distinct
        places.place_id,
        places.name_ar,
        places.name_en,
        places.feature_type,
        {{ feature_rank('places.feature_type') }} as feature_rank,
        places.admin1,
        places.latitude,
        places.longitude,
        spellings.spelling_kind,
        {{ regex_dialect(normalize_arabic('spellings.spelling', 'place_name_affixes')) }} as name_normalized
    from spellings
    inner join places on spellings.place_id = places.place_id
    where trim(spellings.spelling) <> ''
),

skeletons as (
    select
        normalized.*,
        {{ regex_dialect(arabic_skeleton('normalized.name_normalized')) }} as name_skeleton
    from normalized
)

select
    skeletons.*,
    -- a skeleton of at least three letters that stands for one known spelling only can stand in
    -- for it (int_mentions_enriched tries it when no spelling matches)
    {{ count_distinct_over('name_normalized', 'partition by name_skeleton') }} = 1
        and length(replace(name_skeleton, ' ', '')) >= 3 as is_unique_skeleton
from skeletons

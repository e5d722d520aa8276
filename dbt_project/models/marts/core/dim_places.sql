-- Gazetteer places (seeds/gazetteer.csv) with their governorate's English name.
select
    place_id,
    name_ar,
    variants_ar,
    name_en,
    feature_type,
    admin1,
    admin1_name_en,
    admin2_ar,
    cast(latitude as double) as latitude,
    cast(longitude as double) as longitude,
    cast(geonames_id as bigint) as geonames_id,
    source as gazetteer_source
from {{ ref('gazetteer') }}

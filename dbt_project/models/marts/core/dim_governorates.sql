-- Syrian governorates (first-order divisions, ISO 3166-2) from seeds/governorates.csv.
select
    admin1,
    name_ar,
    variants_ar,
    name_en,
    cast(latitude as double) as latitude,
    cast(longitude as double) as longitude
from {{ ref('governorates') }}

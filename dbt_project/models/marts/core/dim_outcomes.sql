-- The outcomes of the mention contract (seeds/outcomes.csv), with the role each plays in the
-- ACLED export, so that the exports map an outcome by this row rather than by a list in their SQL.
select
    code as outcome_code,
    label_en,
    label_ar,
    description,
    acled_role
from {{ ref('outcomes') }}

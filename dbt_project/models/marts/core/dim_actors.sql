-- The twelve actor groups of the mention contract (seeds/actor_groups.csv).
select
    code as actor_code,
    label_en,
    label_ar,
    description,
    cast(regime_allied as boolean) as is_regime_allied,
    cast(is_state_actor as boolean) as is_state_actor
from {{ ref('actor_groups') }}

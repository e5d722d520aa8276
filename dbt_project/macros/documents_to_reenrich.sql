{#- The documents whose enriched mentions are missing or stale in `enriched` (an incremental
    int_mentions_enriched): a query of their content_hash. A document is stale when what its rows
    were built from differs: its mentions (how many, when extracted), its publication date or outlet,
    whether it is loaded or current; or when one of its mentions was set aside as dated in the future,
    which the passing of time can undo. The built rows' flags are never null: a null would make `<>`
    unknown and hide a document superseded since. Cheap: two aggregates by document, no gazetteer join. -#}
{% macro documents_to_reenrich(mentions, documents, enriched) %}
    select coalesce(now_.content_hash, built.content_hash) as content_hash
    from (
        select
            m.content_hash,
            count(*) as n_mentions,
            max(m.extracted_at) as last_extracted_at,
            any_value(d.published_at) as published_at,
            any_value(d.outlet) as outlet,
            not coalesce(any_value(d.is_loaded), false) as not_loaded,
            coalesce(any_value(d.is_loaded) and not any_value(d.is_current), false) as superseded
        from {{ mentions }} as m
        left join {{ documents }} as d on m.content_hash = d.content_hash
        group by m.content_hash
    ) as now_
    full outer join (
        select
            content_hash,
            count(*) as n_mentions,
            max(extracted_at) as last_extracted_at,
            any_value(published_at) as published_at,
            any_value(outlet) as outlet,
            max(case when rejection_reason = 'document_not_loaded' then 1 else 0 end) = 1 as not_loaded,
            max(case when rejection_reason = 'superseded_version' then 1 else 0 end) = 1 as superseded,
            max(case when rejection_reason = 'date_in_future' then 1 else 0 end) = 1 as dated_in_future
        from {{ enriched }}
        group by content_hash
    ) as built on now_.content_hash = built.content_hash
    where built.content_hash is null or now_.content_hash is null or built.dated_in_future
        or now_.n_mentions <> built.n_mentions
        or now_.last_extracted_at is distinct from built.last_extracted_at
        or now_.published_at is distinct from built.published_at
        or now_.outlet is distinct from built.outlet
        or now_.not_loaded <> built.not_loaded
        or now_.superseded <> built.superseded
{% endmacro %}

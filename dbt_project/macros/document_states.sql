{#- What an incremental int_mention_pairs_scored needs to know which pairs a refresh left valid. -#}

{#- The whole row of the relation aliased `alias` as text: two rows with equal text are equal rows. -#}
{% macro row_as_text(alias) -%}
    {{- return(adapter.dispatch('row_as_text')(alias)) -}}
{%- endmacro %}

{% macro default__row_as_text(alias) -%}
    cast({{ alias }} as varchar)
{%- endmacro %}

{% macro spark__row_as_text(alias) -%}
    to_json(struct({{ alias }}.*))
{%- endmacro %}

{#- The texts `expr` of a group joined by `delimiter` in sorted order (deterministic on every engine). -#}
{% macro sorted_string_agg(expr, delimiter) -%}
    {{- return(adapter.dispatch('sorted_string_agg')(expr, delimiter)) -}}
{%- endmacro %}

{% macro default__sorted_string_agg(expr, delimiter) -%}
    string_agg({{ expr }}, '{{ delimiter }}' order by {{ expr }})
{%- endmacro %}

{% macro spark__sorted_string_agg(expr, delimiter) -%}
    array_join(array_sort(collect_list({{ expr }})), '{{ delimiter }}')
{%- endmacro %}

{#- A query of one row per document with usable incident mentions in `enriched` (int_mentions_enriched):
    its content_hash and document_state, a digest of every column of every such mention of it.
    A pair of mentions depends on nothing but the rows of their two documents (and the seeds and SQL,
    which the project fingerprint covers): the mentions' own columns, their statements' figures, whether
    they recall an earlier day of their report (macros/recap_item.sql), whether an undated one has a
    report of its own article to join (int_mention_pairs_scored.attachable). Two equal states, equal
    pairs. The time of extraction (extracted_at) is left out: it changes no pair, and without it the
    state is the same in every build of the same rows, full or incremental. -#}
{% macro document_states(enriched) %}
    select
        usable.content_hash,
        {{ dbt.hash(sorted_string_agg(row_as_text('usable'), '|')) }} as document_state
    from (select {{ star_except(['extracted_at']) }} from {{ enriched }}) as usable
    where usable.mention_scope = 'incident' and usable.rejection_reason is null
    group by usable.content_hash
{% endmacro %}

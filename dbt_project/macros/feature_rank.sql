{#- How specific a gazetteer feature type is: 1 = a settlement (pin-point),
    2 = a named site or area, 3 = a district, 4 = a governorate. Lower wins. -#}
{% macro feature_rank(feature_type_col) -%}
    case
        when {{ feature_type_col }} in ('city', 'town', 'village', 'neighbourhood', 'neighborhood', 'camp', 'checkpoint', 'base', 'prison') then 1
        when {{ feature_type_col }} in ('oil_field', 'gas_field', 'area', 'desert', 'mountain', 'road', 'site', 'airport', 'dam') then 2
        when {{ feature_type_col }} in ('district', 'subdistrict') then 3
        when {{ feature_type_col }} = 'governorate' then 4
        else 2
    end
{%- endmacro %}

{#
    The relationships test to dim_geography: fails for every distinct key of the model that
    names no geography there. `column_name` holds the geography id; `geo_level` is either a
    column of the model holding the level or, quoted, one level for every row (e.g. "'state'").
    A row whose id is null is not checked (not_null tests do that).
    It warns rather than blocks: an unknown place is listed in rpt_unmatched_geographies and
    holds back no export, and a partial build (the UI, a subset) that leaves out dim_geography
    does not stop what reads the model.
#}
{% test has_geography(model, column_name, geo_level) %}

{{ config(severity='warn') }}

with keys as (

    select distinct {{ geo_level }} as geo_level, {{ column_name }} as geo_id
    from {{ model }}
    where {{ column_name }} is not null

)

select keys.geo_level, keys.geo_id
from keys
left join {{ ref('dim_geography') }} as geographies
    on keys.geo_level = geographies.geo_level
    and keys.geo_id = geographies.geo_id
where geographies.geo_id is null

{% endtest %}

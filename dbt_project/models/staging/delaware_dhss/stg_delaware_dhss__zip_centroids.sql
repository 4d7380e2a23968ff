{#-
    markers.json lands once the loader lifecycle can read JSON (loaders/json_source.py);
    until raw has the table, this view is empty rather than failing.
-#}
{%- set raw_table = source('delaware_dhss', 'zip_centroids') -%}
{%- set landed = not execute or adapter.get_relation(
    database=raw_table.database, schema=raw_table.schema, identifier=raw_table.identifier
) is not none -%}

with

source as (

{%- if landed %}

    select * from {{ raw_table }}
    where _superseded_load_id is null

{%- else %}

    select
        cast(null as {{ dbt.type_string() }}) as zip_code,
        cast(null as {{ dbt.type_float() }}) as latitude,
        cast(null as {{ dbt.type_float() }}) as longitude,
        cast(null as {{ dbt.type_bigint() }}) as _load_id
    where 1 = 0

{%- endif %}

),

renamed as (

    select
        -- ids
        zip_code,

        -- measures
        cast(latitude as {{ dbt.type_float() }}) as latitude,
        cast(longitude as {{ dbt.type_float() }}) as longitude,

        -- lineage
        _load_id as load_id

    from source

)

select * from renamed

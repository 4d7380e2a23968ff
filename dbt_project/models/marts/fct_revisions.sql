{%- set views = revision_views() -%}

with

revisions as (

    {%- for view in views %}
    select * from {{ view }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- if not views %}
    -- no raw table yet: an empty table with the same columns
    select
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_string() }}) as row_key,
        cast(null as date) as row_date,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as old_value,
        cast(null as {{ dbt.type_string() }}) as new_value,
        cast(null as {{ dbt.type_string() }}) as change,
        cast(null as {{ dbt.type_bigint() }}) as old_load_id,
        cast(null as {{ dbt.type_timestamp() }}) as old_loaded_at,
        cast(null as {{ dbt.type_bigint() }}) as new_load_id,
        cast(null as {{ dbt.type_timestamp() }}) as new_loaded_at
    where 1 = 0
    {%- endif %}

),

final as (

    select
        -- ids
        table_name,
        row_key,
        column_name,

        -- dimensions
        change,
        old_value,
        new_value,

        -- dates
        row_date,
        old_load_id,
        old_loaded_at,
        new_load_id,
        new_loaded_at

    from revisions

)

select * from final

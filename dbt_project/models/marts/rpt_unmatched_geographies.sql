{#
    Source keys that name no geography of dim_geography, so the facts leave their rows out
    (an inner join would otherwise drop them without a trace). One row per source table per
    unmatched key: what the key is, why it does not match, and how many rows and days it
    covers. Most are expected (JHU's "Out of <state>" and "Unassigned" pseudo-counties, cruise
    ships, PHAC's repatriated travellers); a new row here after a load is a key to look at.
#}

with

geographies as (select * from {{ ref('dim_geography') }}),

states as (select * from {{ ref('states') }}),

jhu_counties as (select * from {{ ref('stg_jhu_csse__county_deaths') }}),

jhu_state_reports as (select * from {{ ref('stg_jhu_csse__state_reports') }}),

jhu_global as (select * from {{ ref('stg_jhu_csse__global_cases') }} where country_name = 'Canada'),

nyt_counties as (select * from {{ ref('stg_nyt_covid__counties') }}),

phac as (select * from {{ ref('stg_phac_canada__regions') }}),

hhs as (select * from {{ ref('stg_hhs_hospital__states') }}),

county_states as (

    -- a county with its state's name: JHU counties match on both (int_cases__geographies_unioned)
    select geographies.geo_id as county_fips, states.state_name
    from geographies
    inner join states
        on geographies.parent_geo_id = states.state_fips
    where geographies.geo_level = 'county'

),

jhu_county_keys as (

    select
        'jhu_csse' as source,
        'stg_jhu_csse__county_deaths' as source_model,
        jhu_counties.fips_code as source_key,
        {{ dbt.concat(["coalesce(jhu_counties.county_name, '')", "', '", 'jhu_counties.state_name']) }} as source_name,
        case
            when jhu_counties.fips_code is null then 'no FIPS code: a place that is not a county (health district, prison, combined counties)'
            when jhu_counties.state_name not in (select state_name from states) then 'state name not in the states seed (a cruise ship)'
            when {{ dbt.length('jhu_counties.fips_code') }} <> 5 then 'a state-level FIPS code (a territory published as one place)'
            when substr(jhu_counties.fips_code, 1, 2) in ('80', '90') then 'pseudo-county: "Out of <state>" (80xxx) or "Unassigned" (90xxx)'
            else 'FIPS code is no county of the named state'
        end as reason,
        jhu_counties.report_date
    from jhu_counties
    left join county_states
        on jhu_counties.fips_code = county_states.county_fips
        and jhu_counties.state_name = county_states.state_name
    where county_states.county_fips is null

),

jhu_state_keys as (

    select
        'jhu_csse', 'stg_jhu_csse__state_reports', state_fips, state_name,
        'state FIPS code not in the states seed (a cruise ship)', report_date
    from jhu_state_reports
    where state_fips is null or state_fips not in (select state_fips from states)

),

jhu_canada_keys as (

    select
        'jhu_csse', 'stg_jhu_csse__global_cases', province_name, province_name,
        'province name not in the canada_regions seed (cruise ship or repatriated travellers)',
        report_date
    from jhu_global
    where province_name is null or province_name not in (
        select geo_name from geographies where geo_level = 'province'
    )

),

nyt_county_keys as (

    select
        'nyt_covid', 'stg_nyt_covid__counties', county_fips,
        {{ dbt.concat(['nyt_counties.county_name', "', '", 'nyt_counties.state_name']) }},
        case
            when county_fips is null then 'no FIPS code (e.g. New York City, Kansas City, Unknown)'
            else 'FIPS code is no county of a seeded state'
        end,
        report_date
    from nyt_counties
    where county_fips is null or county_fips not in (
        select geo_id from geographies where geo_level = 'county'
    )

),

phac_keys as (

    select
        'phac_canada', 'stg_phac_canada__regions', cast(region_id as {{ dbt.type_string() }}),
        region_name, 'region id not in the canada_regions seed (repatriated travellers)',
        report_date
    from phac
    where region_id not in (select pruid from {{ ref('canada_regions') }})

),

hhs_keys as (

    select
        'hhs_hospital', 'stg_hhs_hospital__states', state_abbreviation, state_abbreviation,
        'postal abbreviation not in the states seed', report_date
    from hhs
    where state_abbreviation is null
        or state_abbreviation not in (select state_abbreviation from states)

),

unioned as (

    select * from jhu_county_keys
    union all select * from jhu_state_keys
    union all select * from jhu_canada_keys
    union all select * from nyt_county_keys
    union all select * from phac_keys
    union all select * from hhs_keys

),

final as (

    select
        source,
        source_model,
        source_key,
        source_name,
        reason,
        count(*) as n_rows,
        min(report_date) as first_date,
        max(report_date) as last_date
    from unioned
    group by source, source_model, source_key, source_name, reason

)

select * from final

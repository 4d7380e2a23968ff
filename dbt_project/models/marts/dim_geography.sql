{#
    Every geography a fact can name, one row each: the two nations, the US states and
    territories (states seed), US counties (every five-digit FIPS code a source publishes
    whose first two digits are a seeded state's), Canada's provinces and territories
    (canada_regions seed) and the Delaware ZIP codes. Facts join on (geo_level, geo_id); the
    has_geography test checks each fact's keys are here, and rpt_unmatched_geographies lists
    the source keys that are not.
    County names and populations: JHU's UID lookup table first (Admin2, its population), then
    OI's GeoIDs - County (2019 population), then the case files' own names.
#}

{%- set float_null = 'cast(null as ' ~ dbt.type_float() ~ ')' %}
{%- set text_null = 'cast(null as ' ~ dbt.type_string() ~ ')' %}
{%- set no_coordinates = float_null ~ ', ' ~ float_null %}

with

states as (select * from {{ ref('states') }}),

canada_regions as (select * from {{ ref('canada_regions') }}),

jhu_places as (select * from {{ ref('stg_jhu_csse__places') }} where country_name = 'US'),

jhu_counties as (select * from {{ ref('stg_jhu_csse__county_deaths') }}),

nyt_counties as (select * from {{ ref('stg_nyt_covid__counties') }}),

oi_counties as (select * from {{ ref('stg_oi_economic_tracker__geoids_county') }}),

zip_rates as (select * from {{ ref('stg_delaware_dhss__zip_case_rates') }}),

zip_centroids as (select * from {{ ref('stg_delaware_dhss__zip_centroids') }}),

county_candidates as (

    select fips_code as county_fips, county_name, population, latitude, longitude, 1 as preference
    from jhu_places
    union all
    select distinct fips_code, county_name, population, {{ no_coordinates }}, 2 from jhu_counties
    union all
    select county_fips, county_name, cast(population_2019 as {{ dbt.type_bigint() }}), {{ no_coordinates }}, 3
    from oi_counties
    union all
    select distinct county_fips, county_name, cast(null as {{ dbt.type_bigint() }}), {{ no_coordinates }}, 4
    from nyt_counties

),

ranked_counties as (

    select
        county_candidates.*,
        row_number() over (
            partition by county_fips order by preference
        ) as preference_rank
    from county_candidates
    inner join states
        on substr(county_candidates.county_fips, 1, 2) = states.state_fips
    where {{ dbt.length('county_candidates.county_fips') }} = 5
        and county_candidates.county_name is not null

),

nations as (

    select
        'nation' as geo_level,
        'US' as geo_id,
        'United States' as geo_name,
        'US' as geo_code,
        {{ text_null }} as parent_geo_level,
        {{ text_null }} as parent_geo_id,
        cast((select sum(population) from states) as {{ dbt.type_bigint() }}) as population,
        'Sum of the states seed' as population_source,
        {{ float_null }} as latitude,
        {{ float_null }} as longitude
    union all
    select
        geo_level,
        geo_id,
        region_name as geo_name,
        geo_id as geo_code,
        {{ text_null }} as parent_geo_level,
        {{ text_null }} as parent_geo_id,
        population,
        population_source,
        {{ float_null }} as latitude,
        {{ float_null }} as longitude
    from canada_regions
    where geo_level = 'nation'

),

state_rows as (

    select
        'state' as geo_level,
        state_fips as geo_id,
        state_name as geo_name,
        state_abbreviation as geo_code,
        'nation' as parent_geo_level,
        'US' as parent_geo_id,
        population,
        population_source,
        {{ float_null }} as latitude,
        {{ float_null }} as longitude
    from states

),

county_rows as (

    select
        'county' as geo_level,
        county_fips as geo_id,
        county_name as geo_name,
        county_fips as geo_code,
        'state' as parent_geo_level,
        substr(county_fips, 1, 2) as parent_geo_id,
        nullif(population, 0) as population,
        case
            when nullif(population, 0) is null then null
            when preference = 1 then 'JHU CSSE UID lookup table'
            when preference = 2 then 'JHU CSSE time_series_covid19_deaths_US'
            when preference = 3 then 'Opportunity Insights GeoIDs - County (2019)'
        end as population_source,
        latitude,
        longitude
    from ranked_counties
    where preference_rank = 1

),

province_rows as (

    select
        geo_level,
        geo_id,
        region_name as geo_name,
        geo_id as geo_code,
        'nation' as parent_geo_level,
        'CA' as parent_geo_id,
        population,
        population_source,
        {{ float_null }} as latitude,
        {{ float_null }} as longitude
    from canada_regions
    where geo_level = 'province'

),

zip_codes as (

    select zip_code from zip_rates
    union
    select zip_code from zip_centroids

),

zip_rows as (

    select
        'zip' as geo_level,
        zip_codes.zip_code as geo_id,
        zip_codes.zip_code as geo_name,
        zip_codes.zip_code as geo_code,
        'state' as parent_geo_level,
        '10' as parent_geo_id,
        cast(null as {{ dbt.type_bigint() }}) as population,
        {{ text_null }} as population_source,
        zip_centroids.latitude,
        zip_centroids.longitude
    from zip_codes
    left join zip_centroids
        on zip_codes.zip_code = zip_centroids.zip_code

),

unioned as (

    select * from nations
    union all
    select * from state_rows
    union all
    select * from county_rows
    union all
    select * from province_rows
    union all
    select * from zip_rows

),

final as (

    select
        {{ dbt.concat(['geo_level', "':'", 'geo_id']) }} as geography_key,
        geo_level,
        geo_id,
        geo_name,
        geo_code,
        parent_geo_level,
        parent_geo_id,
        population,
        population_source,
        latitude,
        longitude
    from unioned

)

select * from final

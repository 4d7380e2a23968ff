{#
    Every cumulative case and death series in one shape, one source per geography level:
    - nation 'US' (NYT us.csv) and nation 'CA' (PHAC's Canada rows);
    - states and territories (NYT us-states.csv);
    - counties: NYT us-counties.csv for every county NYT publishes; a county NYT does not
      publish comes from JHU CSSE's deaths_US series (deaths only: JHU's confirmed_US file is
      not loaded, so cases stay null). A county's whole series comes from one source.
      Places without a county FIPS code are left out (NYT's New York City and Kansas City,
      JHU's "Out of <state>" and "Unassigned" pseudo-counties and cruise ships): they have no
      county geography, though their counts are in the state totals;
    - Canadian provinces and territories (PHAC), keyed by ISO 3166-2 code.
    Populations: the states seed, the county population JHU publishes (in its UID lookup
    table for NYT counties, on each row for its own), the canada_regions seed.
#}

with

nation as (select * from {{ ref('stg_nyt_covid__us') }}),

states as (select * from {{ ref('stg_nyt_covid__states') }}),

nyt_counties as (select * from {{ ref('stg_nyt_covid__counties') }}),

jhu_counties as (select * from {{ ref('stg_jhu_csse__county_deaths') }}),

places as (select * from {{ ref('stg_jhu_csse__places') }} where fips_code is not null),

canada as (select * from {{ ref('stg_phac_canada__regions') }}),

state_populations as (select * from {{ ref('states') }}),

canada_regions as (select * from {{ ref('canada_regions') }}),

nation_rows as (

    select
        'nation' as geo_level,
        'US' as geo_id,
        'United States' as geo_name,
        cast(null as {{ dbt.type_string() }}) as parent_geo_id,
        'nyt_covid' as source,
        nation.report_date,
        nation.cases_cumulative,
        nation.deaths_cumulative,
        (select sum(population) from state_populations) as population
    from nation

),

state_rows as (

    select
        'state' as geo_level,
        states.state_fips as geo_id,
        states.state_name as geo_name,
        'US' as parent_geo_id,
        'nyt_covid' as source,
        states.report_date,
        states.cases_cumulative,
        states.deaths_cumulative,
        state_populations.population
    from states
    left join state_populations
        on states.state_fips = state_populations.state_fips

),

nyt_county_rows as (

    select
        'county' as geo_level,
        nyt_counties.county_fips as geo_id,
        nyt_counties.county_name as geo_name,
        substr(nyt_counties.county_fips, 1, 2) as parent_geo_id,
        'nyt_covid' as source,
        nyt_counties.report_date,
        nyt_counties.cases_cumulative,
        nyt_counties.deaths_cumulative,
        nullif(places.population, 0) as population
    from nyt_counties
    left join places
        on nyt_counties.county_fips = places.fips_code
    where nyt_counties.county_fips is not null

),

jhu_county_rows as (

    select
        'county' as geo_level,
        jhu_counties.fips_code as geo_id,
        jhu_counties.county_name as geo_name,
        state_populations.state_fips as parent_geo_id,
        'jhu_csse' as source,
        jhu_counties.report_date,
        cast(null as {{ dbt.type_bigint() }}) as cases_cumulative,
        jhu_counties.deaths_cumulative,
        nullif(jhu_counties.population, 0) as population
    from jhu_counties
    inner join state_populations
        on jhu_counties.state_name = state_populations.state_name
        -- a real county's code starts with its state's code (pseudo-counties start 80 or 90)
        and substr(jhu_counties.fips_code, 1, 2) = state_populations.state_fips
    where {{ dbt.length('jhu_counties.fips_code') }} = 5
        and jhu_counties.fips_code not in (
            select county_fips from {{ ref('stg_nyt_covid__counties') }} where county_fips is not null
        )

),

canada_rows as (

    select
        canada_regions.geo_level,
        canada_regions.geo_id,
        canada_regions.region_name as geo_name,
        case when canada_regions.geo_level = 'province' then 'CA' end as parent_geo_id,
        'phac_canada' as source,
        canada.report_date,
        canada.cases_cumulative,
        canada.deaths_cumulative,
        canada_regions.population
    from canada
    inner join canada_regions
        on canada.region_id = canada_regions.pruid

),

unioned as (

    select * from nation_rows
    union all
    select * from state_rows
    union all
    select * from nyt_county_rows
    union all
    select * from jhu_county_rows
    union all
    select * from canada_rows

)

select * from unioned

{#
    The NYT cumulative series for every geography in one shape: the nation (us.csv) and each
    state or territory (us-states.csv), with the population used for per-capita rates.
    The nation's population is the sum of the states seed (50 states, DC and 5 territories).
#}

with

nation as (

    select * from {{ ref('stg_nyt_covid__us') }}

),

states as (

    select * from {{ ref('stg_nyt_covid__states') }}

),

state_populations as (

    select * from {{ ref('states') }}

),

nation_population as (

    select sum(population) as population from state_populations

),

nation_rows as (

    select
        'nation' as geo_level,
        'US' as geo_id,
        'United States' as geo_name,
        nation.report_date,
        nation.cases_cumulative,
        nation.deaths_cumulative,
        nation_population.population
    from nation
    cross join nation_population

),

state_rows as (

    select
        'state' as geo_level,
        states.state_fips as geo_id,
        states.state_name as geo_name,
        states.report_date,
        states.cases_cumulative,
        states.deaths_cumulative,
        state_populations.population
    from states
    left join state_populations
        on states.state_fips = state_populations.state_fips

),

unioned as (

    select * from nation_rows
    union all
    select * from state_rows

)

select * from unioned

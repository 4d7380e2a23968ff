-- No restriction period is lifted before (or on the day) it was imposed.
select *
from {{ ref('fct_restrictions_timeline') }}
where lifted_date <= imposed_date

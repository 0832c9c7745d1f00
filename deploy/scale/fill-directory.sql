-- Fills one PostgreSQL SET with users, groups and memberships exactly as the service writes them
-- (SqlWriteTx.insertUser: a users row and a wallet account at balance 0; insertGroup: a chat_groups row, no owner for
-- groups the admin makes; addMembers: group_members rows), for measuring the directory at scale.
--
-- The schema must exist first: start the service once on the empty database (it migrates on start) and stop it.
-- The database must hold ONE SET (users and groups are all put in it; with several SETs they are spread by id hash).
--
--   psql postgresql://postgres@127.0.0.1:5432/hongbao_scale -v users=10000000 -v groups=1000000 -v members=10 \
--        -f deploy/scale/fill-directory.sql
--
-- Users are u1..u<users> named "User <n>"; groups g1..g<groups> named "Group <n>"; group j has the <members> users
-- u((j-1)*members+1) .. u(j*members), wrapping around past the last user. About 10 minutes and 4 GB for the defaults
-- on a 2-core machine.
\set ON_ERROR_STOP on
\timing on
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';

SELECT (extract(epoch FROM now()) * 1000)::bigint AS now_ms \gset

INSERT INTO users (user_id, name, created_ms)
SELECT 'u' || n, 'User ' || n, :now_ms FROM generate_series(1, :users) AS n;

INSERT INTO accounts (account_id, balance)
SELECT 'wallet:u' || n, 0 FROM generate_series(1, :users) AS n;

INSERT INTO chat_groups (group_id, name, owner_id, created_ms)
SELECT 'g' || j, 'Group ' || j, NULL, :now_ms FROM generate_series(1, :groups) AS j;

INSERT INTO group_members (group_id, user_id)
SELECT 'g' || j, 'u' || (((j - 1) * :members + k) % :users + 1)
FROM generate_series(1, :groups) AS j, generate_series(0, :members - 1) AS k;

ANALYZE users;
ANALYZE accounts;
ANALYZE chat_groups;
ANALYZE group_members;

SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM chat_groups) AS groups,
       (SELECT count(*) FROM group_members) AS memberships, pg_size_pretty(pg_database_size(current_database())) AS size;

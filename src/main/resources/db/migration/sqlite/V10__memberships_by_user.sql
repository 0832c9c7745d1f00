-- The groups a user belongs to, read by user id (the directory no longer holds every membership in memory).
CREATE INDEX group_members_by_user ON group_members (user_id, group_id);

-- An open's credit from escrow to the receiver's wallet is its claim row: the row carries the transfer's place in the
-- ledger (ledger_seq, from the transfers' own numbering) and the wallet's balance after it, instead of a transfers row
-- beside it. A derived open then writes one row into four b-trees (the claim's key, one share per member, the records'
-- index and the statements' index below) where it wrote two rows into seven. Its transfer id stays
-- 'claim:<packet>:<seq>', unique by the claim's key. Credits made later (a packet paid after it was opened) and the
-- two halves of a credit to another SET stay transfers rows. The ledger, the statements and the audit read both.
ALTER TABLE claims ADD COLUMN ledger_seq BIGINT;
ALTER TABLE claims ADD COLUMN balance_after BIGINT;
ALTER TABLE cold.claims ADD COLUMN ledger_seq BIGINT;
ALTER TABLE cold.claims ADD COLUMN balance_after BIGINT;
-- A view's * was expanded when it was made: made again, it has the new columns.
DROP VIEW claims_all;
CREATE VIEW claims_all AS SELECT * FROM public.claims UNION ALL SELECT * FROM cold.claims;

-- The ledger's numbering, shared by transfers and claims: the writer takes numbers in blocks (LedgerTxSql).
CREATE SEQUENCE ledger_seq;
SELECT setval('ledger_seq', COALESCE((SELECT MAX(seq) FROM transfers), 0) + 1, false);
ALTER TABLE transfers ALTER COLUMN seq DROP IDENTITY;

-- The existing credits from escrow to a claim's own wallet move into their claims, keeping their numbers.
UPDATE claims c SET ledger_seq = t.seq, balance_after = t.to_balance_after
FROM transfers t
WHERE c.credited = 1 AND t.transfer_id = 'claim:' || c.packet_id || ':' || c.seq AND t.kind = 'CLAIM'
    AND t.from_account LIKE 'escrow:%' AND t.to_account = 'wallet:' || c.user_id;
UPDATE cold.claims c SET ledger_seq = t.seq, balance_after = t.to_balance_after
FROM transfers t
WHERE c.credited = 1 AND t.transfer_id = 'claim:' || c.packet_id || ':' || c.seq AND t.kind = 'CLAIM'
    AND t.from_account LIKE 'escrow:%' AND t.to_account = 'wallet:' || c.user_id;
DELETE FROM transfers t USING claims_all c
WHERE c.ledger_seq = t.seq AND t.kind = 'CLAIM' AND t.from_account LIKE 'escrow:%' AND t.to_account LIKE 'wallet:%';

-- A wallet's statement (流水): its credits in claims, newest first, merged with its transfers. Each day partition,
-- hot or cold, gets its own.
CREATE INDEX claims_credits ON claims (user_id, ledger_seq) WHERE ledger_seq IS NOT NULL;
CREATE INDEX cold_claims_credits ON cold.claims (user_id, ledger_seq) WHERE ledger_seq IS NOT NULL;

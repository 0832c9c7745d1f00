"""Pages a derivation commit writes per open: the SQL of the derived open on main's schema (V1..V13) and on V14,
applied to a fresh SQLite file in WAL mode (synchronous=FULL), batches of 900 opens over a storm's packets.
WAL frames appended per commit = pages dirtied; CPU seconds of the process spent inside the batches."""
import sqlite3, os, random, sys, time, glob, re
MIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src/main/resources/db/migration/sqlite')
def migrations(upto):
    files = sorted(glob.glob(MIG + '/V*.sql'), key=lambda f: int(re.match(r'V(\d+)__', os.path.basename(f)).group(1)))
    return [f for f in files if int(re.match(r'V(\d+)__', os.path.basename(f)).group(1)) <= upto]

def run(variant, packets=2000, users=20000, shares=54, batch=900, history=0, seed=7):
    path = os.path.join(os.environ.get('TMPDIR', '/tmp'), f'derived-pages-{variant}.db')
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(path + suffix): os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute('PRAGMA journal_mode=WAL'); db.execute('PRAGMA synchronous=FULL'); db.execute('PRAGMA wal_autocheckpoint=0')
    for f in migrations(14 if variant == 'B' else 13):
        db.executescript(open(f).read())
    db.execute('BEGIN')
    for u in range(users):
        db.execute("INSERT INTO accounts VALUES (?, 1000000)", (f'wallet:u{u}',))
    for s in range(64):
        db.execute("INSERT INTO accounts VALUES (?, 0)", (f'escrow:{s}',))
    base = 1 << 40
    pids = [base + (i << 22) + ((i % 64) << 16) for i in range(packets)]
    for pid in pids:
        db.execute("INSERT INTO packets VALUES (?, 'GROUP', 'u0', 'g', NULL, 'x', 5400, ?, '', 'OPEN', 1, 0, 1, NULL, 0, 0, 0)", (pid, shares))
        db.execute("UPDATE accounts SET balance = balance + 5400 WHERE account_id = ?", (f'escrow:{(pid >> 16) & 63}',))
    db.execute('COMMIT')
    db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    rnd = random.Random(seed)
    opens = []
    taken = {pid: set() for pid in pids}
    for pid in pids:
        for seq in range(1, shares + 1):
            opens.append((pid, seq))
    rnd.shuffle(opens)
    # seq within a packet must rise in order: renumber per packet in order of appearance
    counter = {}
    ordered = []
    for pid, _ in opens:
        counter[pid] = counter.get(pid, 0) + 1
        user = rnd.randrange(users)
        while user in taken[pid]:
            user = rnd.randrange(users)
        taken[pid].add(user)
        ordered.append((pid, counter[pid], f'u{user}'))
    ledger = db.execute("SELECT seq FROM sqlite_sequence WHERE name='transfers'").fetchone()
    ledger = ledger[0] if ledger else 0
    balances = {}
    frames_before = os.path.getsize(path + '-wal')
    cpu0 = time.process_time(); wall0 = time.time()
    for start in range(0, len(ordered), batch):
        chunk = ordered[start:start + batch]
        db.execute('BEGIN')
        accounts = sorted({f'wallet:{u}' for _, _, u in chunk} | {f'escrow:{(p >> 16) & 63}' for p, _, _ in chunk})
        for a in accounts:
            if a not in balances:
                balances[a] = db.execute("SELECT balance FROM accounts WHERE account_id = ?", (a,)).fetchone()[0]
        claims, transfers = [], []
        progress = {}
        for pid, seq, user in chunk:
            esc, wal = f'escrow:{(pid >> 16) & 63}', f'wallet:{user}'
            balances[esc] -= 100; balances[wal] += 100
            ledger += 1
            if variant == 'B':
                claims.append((pid, seq, user, 100, 1, 1, ledger, balances[wal]))
            else:
                claims.append((pid, seq, user, 100, 1, 1))
                transfers.append((f'claim:{pid}:{seq}', 'CLAIM', esc, wal, 100, balances[esc], balances[wal], pid, 1))
            progress[pid] = seq
        if variant == 'B':
            db.executemany("INSERT INTO claims (packet_id, seq, user_id, amount, claimed_ms, credited, ledger_seq, balance_after) VALUES (?,?,?,?,?,?,?,?)", claims)
            db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'transfers'", (ledger,))
        else:
            db.executemany("INSERT INTO claims (packet_id, seq, user_id, amount, claimed_ms, credited) VALUES (?,?,?,?,?,?)", claims)
            db.executemany("INSERT INTO transfers (transfer_id, kind, from_account, to_account, amount, from_balance_after, to_balance_after, packet_id, at_ms) VALUES (?,?,?,?,?,?,?,?,?)", transfers)
        db.executemany("UPDATE accounts SET balance = ? WHERE account_id = ?", [(balances[a], a) for a in accounts])
        db.executemany("UPDATE packets SET opened_count = ? WHERE packet_id = ?", [(c, p) for p, c in progress.items()])
        db.execute("UPDATE journal_marks SET derived_through = derived_through + ? WHERE id = 0", (len(chunk),))
        db.execute('COMMIT')
    cpu = time.process_time() - cpu0; wall = time.time() - wall0
    frames = (os.path.getsize(path + '-wal') - frames_before) / (4096 + 24)
    n = len(ordered)
    print(f'{variant}: opens {n}, batches {(n + batch - 1) // batch}, WAL pages per open {frames / n:.3f}, '
          f'cpu us per open {cpu / n * 1e6:.1f}, wall us per open {wall / n * 1e6:.1f}')
    db.close()

for variant in sys.argv[1:]:
    run(variant)

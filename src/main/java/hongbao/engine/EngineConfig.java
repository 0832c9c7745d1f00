package hongbao.engine;

/**
 * @param shards     logical shards (fixed for the life of the data; at most 64)
 * @param workers    worker threads per SET; shard s of SET s % sets belongs to its worker (s / sets) % workers
 * @param queueBound commands a worker may have waiting before new ones get 429 BUSY
 * @param maxBatch   most commands written in one transaction
 */
public record EngineConfig(int shards, int workers, int queueBound, int maxBatch) {
    public EngineConfig {
        if (shards < 1 || shards > hongbao.domain.PacketIds.MAX_SHARDS || workers < 1 || workers > shards
                || queueBound < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("invalid engine configuration");
        }
    }
}

import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";

// What an attacker with table access would do: raw item writes, bypassing ElectroDB.
// The key strings are written out literally, on purpose: they are the stored layout.

type RawItem = Record<string, AttributeValue>;

export const entryKey = (chainId: string, seq: number): RawItem => ({
  pk: { S: `$vigil#chainid_${chainId}` },
  sk: { S: `$auditentry_1#seq_${String(seq).padStart(12, "0")}` },
});

export class RawTamperer {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly chainId: string,
  ) {}

  async get(seq: number): Promise<RawItem> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.table, Key: entryKey(this.chainId, seq) }));
    if (!Item) throw new Error(`no stored entry at seq ${seq} of ${this.chainId}`);
    return Item;
  }

  /** Writes `item` under the key of `seq`, optionally rewriting its seq attribute too. */
  async putAt(seq: number, item: RawItem, relabel: boolean): Promise<void> {
    const Item = { ...item, ...entryKey(this.chainId, seq), ...(relabel ? { seq: { N: String(seq) } } : {}) };
    await this.client.send(new PutItemCommand({ TableName: this.table, Item }));
  }

  async setPayload(seq: number, payload: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: entryKey(this.chainId, seq),
        UpdateExpression: "SET payload = :p",
        ExpressionAttributeValues: { ":p": { S: payload } },
      }),
    );
  }

  async delete(seq: number): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.table, Key: entryKey(this.chainId, seq) }));
  }
}

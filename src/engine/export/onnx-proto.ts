/**
 * The part of the ONNX protobuf schema (onnx/onnx.proto3 of the ONNX specification, field
 * numbers as there) that CC-Net's exports use, as a protobufjs JSON descriptor: ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto,
 * TensorShapeProto, OperatorSetIdProto, StringStringEntryProto. Fields we never write are left
 * out; a reader skips nothing it needs, since protobuf decoders ignore absent fields.
 */
import * as protobuf from 'protobufjs/light';

/** TensorProto.DataType values. */
export const ONNX_TYPE = { FLOAT: 1, UINT8: 2, INT8: 3, INT16: 5, INT32: 6, INT64: 7, INT4: 22 } as const;

/** AttributeProto.AttributeType values. */
export const ONNX_ATTRIBUTE = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

const DESCRIPTOR = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: { type: 'int64', id: 1 },
            opset_import: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            producer_name: { type: 'string', id: 2 },
            producer_version: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            model_version: { type: 'int64', id: 5 },
            doc_string: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            metadata_props: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        StringStringEntryProto: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            doc_string: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            value_info: { rule: 'repeated', type: 'ValueInfoProto', id: 13 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            op_type: { type: 'string', id: 4 },
            domain: { type: 'string', id: 7 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            doc_string: { type: 'string', id: 6 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'int32', id: 20 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            floats: { rule: 'repeated', type: 'float', id: 7, options: { packed: true } },
            ints: { rule: 'repeated', type: 'int64', id: 8, options: { packed: true } },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1, options: { packed: true } },
            data_type: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            doc_string: { type: 'string', id: 12 },
            raw_data: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 }, doc_string: { type: 'string', id: 3 } } },
        TypeProto: {
          fields: { tensor_type: { type: 'Tensor', id: 1 }, denotation: { type: 'string', id: 6 } },
          nested: { Tensor: { fields: { elem_type: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } } },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: { dim_value: { type: 'int64', id: 1 }, dim_param: { type: 'string', id: 2 }, denotation: { type: 'string', id: 3 } },
            },
          },
        },
      },
    },
  },
};

let root: protobuf.Root | undefined;

/** The protobufjs type of an ONNX message, e.g. onnxType('ModelProto'). */
export function onnxType(name: 'ModelProto' | 'GraphProto' | 'TensorProto' | 'NodeProto'): protobuf.Type {
  root ??= protobuf.Root.fromJSON(DESCRIPTOR);
  return root.lookupType(`onnx.${name}`);
}

/** Bytes of a protobuf varint. */
export function varintBytes(value: number): number {
  let bytes = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    bytes++;
  }
  return bytes;
}

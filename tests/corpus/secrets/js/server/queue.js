const amqp = require("amqplib");

async function connect() {
  return amqp.connect("amqps://orders:67ilJn2ATtm7X4BVo@rabbit-1.ordersmq.cloud:5671/orders");
}

module.exports = { connect };

const amqp = require("amqplib");

async function connect() {
  return amqp.connect("amqps://orders:9Iek_QnjiU1RcoVXY3_@rabbit-1.ordersmq.cloud:5671/orders");
}

module.exports = { connect };

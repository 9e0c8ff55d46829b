const { MongoClient } = require("mongodb");

const uri = "mongodb+srv://orders_app:tHrtmzUwbkJ7gN6Er-84@cluster0.a1b2c.mongodb.net/?retryWrites=true&w=majority";
const localUri = "mongodb://localhost:27017/orders";
module.exports = new MongoClient(uri);
